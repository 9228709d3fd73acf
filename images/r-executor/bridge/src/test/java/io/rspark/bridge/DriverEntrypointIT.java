package io.rspark.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.rspark.bridge.testing.BridgeUnderTest;
import io.rspark.bridge.testing.LoggedProcess;
import io.rspark.bridge.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The entrypoint's driver role with a standalone master on an address that is not loopback, as in a
 * pod: the master binds only the pod IP, so whatever waits for it must wait there; SIGTERM (the
 * kubelet's) stops the bridge, then the master JVM, within the driver's grace period.
 */
class DriverEntrypointIT {
  @TempDir Path dir;

  /**
   * Starts {@code rspark-entrypoint driver} with its master on {@code podIp}; {@code env} adds to
   * the operator's variables.
   */
  private BridgeUnderTest startDriver(String podIp, Map<String, String> env) throws Exception {
    Prerequisites.sparkHome();
    int masterPort = LoggedProcess.freePort();
    String masterUrl = "spark://" + podIp + ":" + masterPort;
    Path defaults = Files.createDirectories(dir.resolve("conf")).resolve("spark-defaults.conf");
    Files.writeString(
        defaults,
        String.join(
            "\n",
            "spark.master " + masterUrl,
            "spark.ui.enabled false",
            "spark.executor.memory 512m",
            ""));
    Map<String, String> all = new HashMap<>(env);
    all.put("RSPARK_MASTER_URL", masterUrl);
    all.put("RSPARK_POD_IP", podIp);
    all.put("RSPARK_SPARK_DEFAULTS_FILE", defaults.toString());
    all.put("SPARK_MASTER_PORT", Integer.toString(masterPort));
    all.put("SPARK_MASTER_WEBUI_PORT", Integer.toString(LoggedProcess.freePort()));
    all.put("SPARK_DAEMON_MEMORY", "256m");
    return BridgeUnderTest.start(dir.resolve("driver"), "pod-ip-driver", all);
  }

  /** Every process started under the entrypoint: the master JVM and the bridge JVM. */
  private static List<ProcessHandle> children(BridgeUnderTest driver) {
    List<ProcessHandle> children = driver.process.process().descendants().toList();
    assertThat(children).as("master and bridge processes").hasSizeGreaterThanOrEqualTo(2);
    return children;
  }

  private static void assertAllGone(List<ProcessHandle> processes) throws Exception {
    for (ProcessHandle p : processes) {
      // An exited child may take a moment to be reaped by whoever inherited it.
      p.onExit().get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void theDriverWaitsForTheMasterOnThePodIp() throws Exception {
    String podIp = Prerequisites.nonLoopbackAddress();
    try (BridgeUnderTest driver = startDriver(podIp, Map.of())) {
      driver.awaitReady(Duration.ofSeconds(120));
      assertThat(driver.process.log())
          .contains("master on spark://" + podIp + ":")
          .doesNotContain("nothing listens on");
    }
  }

  @Test
  void sigtermStopsTheBridgeThenTheMasterJvm() throws Exception {
    try (BridgeUnderTest driver = startDriver(Prerequisites.nonLoopbackAddress(), Map.of())) {
      driver.awaitReady(Duration.ofSeconds(120));
      List<ProcessHandle> jvms = children(driver);
      Process entrypoint = driver.process.process();
      long t0 = System.nanoTime();
      entrypoint.destroy();
      assertThat(entrypoint.waitFor(30, TimeUnit.SECONDS))
          .as("the driver stops within its 30 s grace period:%n%s", driver.process.log())
          .isTrue();
      long millis = (System.nanoTime() - t0) / 1_000_000;
      assertThat(entrypoint.exitValue()).isEqualTo(143);
      assertThatCode(() -> assertAllGone(jvms))
          .as("no JVM outlives the entrypoint (%d ms to stop)", millis)
          .doesNotThrowAnyException();
      String log = driver.process.log();
      int bridgeStopped = log.indexOf("bridge stopped");
      assertThat(bridgeStopped).as(log).isPositive();
      // Spark's master logs the signal it got; it must come after the application ended.
      assertThat(log.indexOf("RECEIVED SIGNAL TERM", bridgeStopped)).as(log).isPositive();
    }
  }

  /**
   * A java whose bridge ignores SIGTERM and never exits (as a bridge stuck in its stop would); the
   * master runs on the real java.
   */
  private Path javaWithAStuckBridge() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("jdk/bin"));
    Path java = bin.resolve("java");
    String realJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(
        java,
        String.join(
            "\n",
            "#!/usr/bin/env bash",
            "if [[ \" $* \" == *' io.rspark.bridge.BridgeMain '* ]]; then",
            "  echo 'stuck bridge up' >&2",
            "  trap '' TERM",
            "  exec sleep 600",
            "fi",
            "exec '" + realJava + "' \"$@\"",
            ""));
    java.toFile().setExecutable(true);
    return dir.resolve("jdk");
  }

  @Test
  void aBridgeThatDoesNotStopInTimeIsKilledAndTheMasterStillStops() throws Exception {
    Map<String, String> env =
        Map.of("JAVA_HOME", javaWithAStuckBridge().toString(), "RSPARK_STOP_SECONDS", "8");
    try (BridgeUnderTest driver = startDriver(Prerequisites.nonLoopbackAddress(), env)) {
      driver.process.await(
          "the stuck bridge",
          Duration.ofSeconds(120),
          () -> driver.process.log().contains("stuck bridge up"));
      List<ProcessHandle> children = children(driver);
      Process entrypoint = driver.process.process();
      long t0 = System.nanoTime();
      entrypoint.destroy();
      assertThat(entrypoint.waitFor(20, TimeUnit.SECONDS))
          .as("RSPARK_STOP_SECONDS bounds the stop:%n%s", driver.process.log())
          .isTrue();
      assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(2_000L, 12_000L);
      assertThatCode(() -> assertAllGone(children)).doesNotThrowAnyException();
      assertThat(driver.process.log())
          .contains("still runs 3s after SIGTERM; killing it")
          .contains("RECEIVED SIGNAL TERM");
    }
  }
}
