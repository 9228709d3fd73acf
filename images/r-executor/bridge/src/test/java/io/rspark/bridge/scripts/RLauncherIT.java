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

/** The executor R launcher (spark.r.command) run directly with Debian's Rscript. */
class RLauncherIT {
  @TempDir Path dir;
  Path launcher;
  Path library;
  Path probe;

  @BeforeEach
  void setUp() throws Exception {
    Prerequisites.rscript();
    launcher = Prerequisites.imageDir().resolve("bin/rspark-r");
    library = Files.createDirectories(dir.resolve("cluster-lib"));
    probe = dir.resolve("probe.R");
    Files.writeString(
        probe,
        """
        cat("args:", commandArgs(trailingOnly = TRUE), "\\n")
        cat("lib1:", .libPaths()[1], "\\n")
        cat("omp:", Sys.getenv("OMP_NUM_THREADS"), "\\n")
        cat("blas:", Sys.getenv("OPENBLAS_NUM_THREADS"), "\\n")
        limits <- readLines("/proc/self/limits")
        cat(grep("Max address space|Max cpu time", limits, value = TRUE), sep = "\\n")
        """);
  }

  private Run launch(Map<String, String> extraEnv, String... args) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("RSPARK_R_LIBRARY", library.toString()));
    env.putAll(extraEnv);
    String[] command = new String[args.length + 1];
    command[0] = launcher.toString();
    System.arraycopy(args, 0, command, 1, args.length);
    return Run.of(dir, env, command);
  }

  @Test
  void passesTheVersionProbeThrough() throws Exception {
    Run run = launch(Map.of(), "--version");
    assertThat(run.status()).as(run.output()).isZero();
    // Spark parses x.y.z from the probe's output to choose --no-restore (R >= 4.2).
    assertThat(run.output()).containsPattern("version \\d+\\.\\d+\\.\\d+");
  }

  @Test
  void noRestoreFormRunsTheFileWithTheClusterLibraryFirst() throws Exception {
    Run run = launch(Map.of(), "--no-restore", probe.toString(), "a", "b");
    assertThat(run.status()).as(run.output()).isZero();
    assertThat(run.output())
        .contains("args: a b")
        .contains("lib1: " + library.toRealPath())
        .contains("omp: 1")
        .contains("blas: 1");
  }

  @Test
  void vanillaFormKeepsTheClusterLibraryFirstToo() throws Exception {
    Run run = launch(Map.of(), "--vanilla", probe.toString(), "x");
    assertThat(run.status()).as(run.output()).isZero();
    assertThat(run.output()).contains("args: x").contains("lib1: " + library.toRealPath());
  }

  @Test
  void appliesLimits() throws Exception {
    Run run =
        launch(
            Map.of(
                "RSPARK_R_MEMORY_LIMIT_MIB", "3072",
                "RSPARK_R_CPU_SECONDS", "600",
                "RSPARK_R_THREADS", "2"),
            "--no-restore",
            probe.toString());
    assertThat(run.status()).as(run.output()).isZero();
    assertThat(run.output())
        .containsPattern("Max cpu time\\s+600\\s+600")
        .containsPattern(
            "Max address space\\s+" + 3072L * 1024 * 1024 + "\\s+" + 3072L * 1024 * 1024)
        .contains("omp: 2");
  }

  @Test
  void refusesAnythingElse() throws Exception {
    assertThat(launch(Map.of()).status()).isEqualTo(64);
    assertThat(launch(Map.of(), "--no-restore").status()).isEqualTo(64);
    Run run = launch(Map.of(), "-e", "1");
    assertThat(run.status()).isEqualTo(64);
    assertThat(run.output()).contains("usage: rspark-r");
  }
}
