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
  void sparklyrConnectLeavesHiveSupportToTheSharedSession() throws Exception {
    // A stand-in sparklyr that returns what spark_connect() was given.
    Path pkg = Files.createDirectories(dir.resolve("src/sparklyr/R"));
    Files.writeString(
        pkg.getParent().resolve("DESCRIPTION"),
        "Package: sparklyr\nVersion: 0.0.1\nTitle: stand-in\nDescription: stand-in.\n"
            + "License: MIT\nAuthor: test\nMaintainer: test <t@example.org>\n");
    Files.writeString(
        pkg.getParent().resolve("NAMESPACE"), "export(spark_config, spark_connect)\n");
    Files.writeString(
        pkg.resolve("stub.R"),
        "spark_config <- function() list(spark.sql.shuffle.partitions = 4)\n"
            + "spark_connect <- function(...) list(...)\n");
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
            "a <- rspark_connect(); b <- rspark_connect(config = list("
                + "sparklyr.connect.enablehivesupport = TRUE)); cat(a$method, a$config$"
                + "sparklyr.connect.enablehivesupport, a$config$spark.sql.shuffle.partitions, b$"
                + "config$sparklyr.connect.enablehivesupport, sep = '|')");
    assertThat(run.status()).as(run.output()).isZero();
    assertThat(run.output()).isEqualTo("gateway|FALSE|4|TRUE");
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
