package io.rspark.bridge.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.bridge.testing.Prerequisites;
import io.rspark.bridge.testing.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image's Rprofile.site with Debian's R: what an R session in the driver pod starts with. */
class RprofileIT {
  @TempDir Path dir;
  Path library;
  Path confDir;
  Map<String, String> env;

  @BeforeEach
  void setUp() throws Exception {
    Prerequisites.rscript();
    library = Files.createDirectories(dir.resolve("rlib"));
    confDir = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(confDir.resolve("sparkr-backend-secret"), "ab".repeat(32));
    env = new HashMap<>();
    env.put("R_PROFILE", Prerequisites.imageDir().resolve("Rprofile.site").toString());
    env.put("RSPARK_R_LIBRARY", library.toString());
    env.put("SPARK_CONF_DIR", confDir.toString());
    env.put("SPARK_HOME", dir.resolve("no-spark").toString());
  }

  Run r(String code) throws Exception {
    return Run.of(dir, env, "Rscript", "-e", code);
  }

  @Test
  void attachesSparkRToTheBridgeAndPutsTheClusterLibraryFirst() throws Exception {
    Run run =
        r(
            "cat(Sys.getenv('EXISTING_SPARKR_BACKEND_PORT'), nchar(Sys.getenv("
                + "'SPARKR_BACKEND_AUTH_SECRET')), .libPaths()[1], sep = '|')");
    assertThat(run.status()).as(run.output()).isZero();
    assertThat(run.output()).isEqualTo("8890|64|" + library.toRealPath());
  }

  @Test
  void offersAOneLineSparklyrConnect() throws Exception {
    Run run =
        r("cat(getOption('rspark.sparklyr.master'), deparse(args(rspark_connect))[1], sep = '|')");
    assertThat(run.status()).as(run.output()).isZero();
    assertThat(run.output()).startsWith("sparklyr://127.0.0.1:8880/1|function (..., master");
  }

  @Test
  void plainSparkConnectAndRsparkConnectAttachWithoutHiveAndApplyShipsNoPackages()
      throws Exception {
    // A stand-in sparklyr that reports what sparklyr 1.8.6 would decide: its spark_config_value
    // takes a sparklyr.* setting from the connection's config, else from R's options, else the
    // default (TRUE for sparklyr.connect.enablehivesupport and for spark_apply's packages).
    Path pkg = Files.createDirectories(dir.resolve("src/sparklyr/R"));
    Files.writeString(
        pkg.getParent().resolve("DESCRIPTION"),
        "Package: sparklyr\nVersion: 0.0.1\nTitle: stand-in\nDescription: stand-in.\n"
            + "License: MIT\nAuthor: test\nMaintainer: test <t@example.org>\n");
    Files.writeString(
        pkg.getParent().resolve("NAMESPACE"),
        "export(spark_config, spark_connect, apply_ships_packages)\n");
    Files.writeString(
        pkg.resolve("stub.R"),
        String.join(
            "\n",
            "setting <- function(config, name, default) {",
            "  if (name %in% names(config)) config[[name]] else getOption(name, default)",
            "}",
            "spark_config <- function() list(spark.sql.shuffle.partitions = 4)",
            "spark_connect <- function(master, method, config = spark_config()) {",
            "  hive <- setting(config, 'sparklyr.connect.enablehivesupport', TRUE)",
            "  paste(master, method, if (isTRUE(hive)) 'hive' else 'no-hive')",
            "}",
            "apply_ships_packages <- function(config = spark_config()) {",
            "  !isFALSE(setting(config, 'sparklyr.apply.packages', TRUE))",
            "}",
            ""));
    Run install =
        Run.of(
            dir,
            Map.of(),
            "R",
            "CMD",
            "INSTALL",
            "-l",
            library.toString(),
            pkg.getParent().toString());
    assertThat(install.status()).as(install.output()).isZero();

    Run run =
        r(
            String.join(
                "\n",
                "cat(sparklyr::spark_connect(master = 'sparklyr://127.0.0.1:8880/1',"
                    + " method = 'gateway'),",
                "    rspark_connect(),",
                "    rspark_connect(config = list(sparklyr.connect.enablehivesupport = TRUE)),",
                "    sparklyr::apply_ships_packages(), sep = '|')"));
    assertThat(run.status()).as(run.output()).isZero();
    assertThat(run.output())
        .isEqualTo(
            "sparklyr://127.0.0.1:8880/1 gateway no-hive|sparklyr://127.0.0.1:8880/1 gateway"
                + " no-hive|sparklyr://127.0.0.1:8880/1 gateway hive|FALSE");
  }

  @Test
  void leavesExplicitSettingsAndExecutorsAlone() throws Exception {
    env.put("EXISTING_SPARKR_BACKEND_PORT", "12345");
    assertThat(r("cat(Sys.getenv('EXISTING_SPARKR_BACKEND_PORT'))").output()).isEqualTo("12345");
    env.remove("EXISTING_SPARKR_BACKEND_PORT");
    env.put("SPARKR_IS_RUNNING_ON_WORKER", "TRUE");
    Run worker =
        r("cat(Sys.getenv('SPARKR_BACKEND_AUTH_SECRET'), exists('rspark_connect'), sep = '|')");
    assertThat(worker.output()).isEqualTo("|FALSE");
  }

  @Test
  void withoutTheSecretFileNoSecretIsSet() throws Exception {
    Files.delete(confDir.resolve("sparkr-backend-secret"));
    assertThat(r("cat(nchar(Sys.getenv('SPARKR_BACKEND_AUTH_SECRET')))").output()).isEqualTo("0");
  }
}
