package io.rspark.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rspark.bridge.testing.BridgeUnderTest;
import io.rspark.bridge.testing.ConnectClient;
import io.rspark.bridge.testing.LoggedProcess;
import io.rspark.bridge.testing.RBackendClient;
import io.rspark.bridge.testing.RBackendClient.JObj;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark Connect on the bridge (RSPARK_CONNECT_PORT), spoken to by Spark's own JVM client: the
 * bearer token is the cluster's Spark authentication secret, read from its mounted file.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectBridgeIT {
  private static final String TOKEN = "5ec7e7c0ffee".repeat(5) + "beef";

  @TempDir static Path dir;
  static BridgeUnderTest bridge;
  static int connectPort;

  @BeforeAll
  static void start() throws Exception {
    Path secret = dir.resolve("auth/spark-auth-secret");
    Files.createDirectories(secret.getParent());
    Files.writeString(secret, TOKEN + "\n");
    connectPort = LoggedProcess.freePort();
    bridge =
        BridgeUnderTest.start(
                dir,
                "connect-bridge",
                Map.of(
                    "RSPARK_MASTER_URL", "local[2]",
                    "RSPARK_AUTH_SECRET_FILE", secret.toString(),
                    "RSPARK_CONNECT_PORT", Integer.toString(connectPort)))
            .awaitReady(Duration.ofSeconds(120));
  }

  @AfterAll
  static void stop() {
    if (bridge != null) {
      bridge.close();
    }
  }

  /**
   * The URL {@code kubectl rspark connect} prints. Spark 3.5's clients turn {@code ;token=} into
   * TLS, which Spark 3.5's server cannot speak; an {@code authorization} parameter travels as the
   * same header over the plaintext channel.
   */
  static String url(String authorization) {
    String base = "sc://127.0.0.1:" + connectPort + "/";
    return authorization == null
        ? base
        : base + ";authorization=" + authorization.replace(" ", "%20");
  }

  @Test
  @Order(1)
  void aQueryRunsInTheApplicationTheSparkRSessionsShare() throws Exception {
    String sparkRApp;
    try (RBackendClient r = bridge.client()) {
      JObj spark = (JObj) r.callStatic("org.apache.spark.sql.SparkSession", "active");
      sparkRApp = (String) r.call((JObj) r.call(spark, "sparkContext"), "applicationId");
    }
    long t0 = System.nanoTime();
    try (ConnectClient connect = ConnectClient.connect(url("Bearer " + TOKEN))) {
      long connected = System.nanoTime();
      assertThat(connect.sqlLong("SELECT sum(id) FROM range(1000)")).isEqualTo(499500L);
      long first = System.nanoTime();
      long[] next = new long[5];
      for (int i = 0; i < next.length; i++) {
        long t = System.nanoTime();
        assertThat(connect.sqlLong("SELECT count(*) FROM range(" + i + ")")).isEqualTo(i);
        next[i] = (System.nanoTime() - t) / 1_000_000;
      }
      assertThat(connect.conf("spark.app.id")).startsWith("local-").isEqualTo(sparkRApp);
      System.out.printf(
          "Spark Connect: client loaded and session made in %d ms, first query %d ms,"
              + " next queries %s ms%n",
          (connected - t0) / 1_000_000, (first - connected) / 1_000_000, Arrays.toString(next));
    }
  }

  @Test
  @Order(2)
  void noTokenIsRefusedWithUnauthenticated() {
    assertThatThrownBy(() -> ConnectClient.connect(url(null)).sqlLong("SELECT 1"))
        .hasStackTraceContaining("UNAUTHENTICATED");
  }

  @Test
  @Order(3)
  void aWrongTokenIsRefusedWithUnauthenticated() {
    assertThatThrownBy(
            () -> ConnectClient.connect(url("Bearer " + "0".repeat(64))).sqlLong("SELECT 1"))
        .hasStackTraceContaining("UNAUTHENTICATED");
    assertThatThrownBy(() -> ConnectClient.connect(url(TOKEN)).sqlLong("SELECT 1"))
        .as("the token without the Bearer scheme")
        .hasStackTraceContaining("UNAUTHENTICATED");
  }

  @Test
  @Order(4)
  void theLogTellsTheEndpointAndTheRefusalsButNeverTheToken() {
    String log = bridge.process.log();
    assertThat(log)
        .contains("Spark Connect 0.0.0.0:" + connectPort + " (bearer token required)")
        .contains("refused Spark Connect call")
        .contains("wrong bearer token")
        .doesNotContain(TOKEN);
  }
}
