package io.rspark.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.bridge.testing.BridgeUnderTest;
import io.rspark.bridge.testing.LoggedProcess;
import io.rspark.bridge.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The entrypoint's driver role with a standalone master on an address that is not loopback, as in a
 * pod: the master binds only the pod IP, so whatever waits for it must wait there.
 */
class DriverEntrypointIT {
  @TempDir Path dir;

  /** Starts {@code rspark-entrypoint driver} with its master on {@code podIp}. */
  private BridgeUnderTest startDriver(String podIp) throws Exception {
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
    return BridgeUnderTest.start(
        dir.resolve("driver"),
        "pod-ip-driver",
        Map.of(
            "RSPARK_MASTER_URL",
            masterUrl,
            "RSPARK_POD_IP",
            podIp,
            "RSPARK_SPARK_DEFAULTS_FILE",
            defaults.toString(),
            "SPARK_MASTER_PORT",
            Integer.toString(masterPort),
            "SPARK_MASTER_WEBUI_PORT",
            Integer.toString(LoggedProcess.freePort()),
            "SPARK_DAEMON_MEMORY",
            "256m"));
  }

  @Test
  void theDriverWaitsForTheMasterOnThePodIp() throws Exception {
    String podIp = Prerequisites.nonLoopbackAddress();
    try (BridgeUnderTest driver = startDriver(podIp)) {
      driver.awaitReady(Duration.ofSeconds(120));
      assertThat(driver.process.log())
          .contains("master on spark://" + podIp + ":")
          .doesNotContain("nothing listens on");
    }
  }
}
