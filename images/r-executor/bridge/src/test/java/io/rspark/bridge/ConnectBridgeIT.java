package io.rspark.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rspark.bridge.testing.BridgeUnderTest;
import io.rspark.bridge.testing.ConnectClient;
import io.rspark.bridge.testing.LoggedProcess;
import io.rspark.bridge.testing.RBackendClient;
import io.rspark.bridge.testing.RBackendClient.JObj;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
  void noTokenIsRefusedWithUnauthenticatedAndNothingRuns() throws Exception {
    int sessions = bridge.activity().path("connectSessions").asInt();
    assertThatThrownBy(() -> ConnectClient.connect(url(null)).sqlLong("SELECT 1"))
        .hasStackTraceContaining("UNAUTHENTICATED");
    assertNothingRanSince(sessions);
  }

  @Test
  @Order(3)
  void aWrongTokenIsRefusedWithUnauthenticatedAndNothingRuns() throws Exception {
    int sessions = bridge.activity().path("connectSessions").asInt();
    assertThatThrownBy(
            () -> ConnectClient.connect(url("Bearer " + "0".repeat(64))).sqlLong("SELECT 1"))
        .hasStackTraceContaining("UNAUTHENTICATED");
    assertThatThrownBy(() -> ConnectClient.connect(url(TOKEN)).sqlLong("SELECT 1"))
        .as("the token without the Bearer scheme")
        .hasStackTraceContaining("UNAUTHENTICATED");
    assertNothingRanSince(sessions);
  }

  /**
   * A refused call never reaches Spark Connect's service: no session is made for it (the server
   * makes one for the first call it handles) and no job runs. Listener events arrive
   * asynchronously, hence the second's wait before looking.
   */
  private static void assertNothingRanSince(int sessionsBefore) throws Exception {
    Thread.sleep(1000);
    JsonNode after = bridge.activity();
    assertThat(after.path("connectSessions").asInt()).isEqualTo(sessionsBefore);
    assertThat(after.path("connectOperations").asInt()).isZero();
    assertThat(after.path("activeJobs").asInt()).isZero();
  }

  @Test
  @Order(5)
  void aRunningConnectQueryShowsInTheActivityReport() throws Exception {
    Instant before = Instant.parse(bridge.activity().path("lastActivity").asText());
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (ConnectClient connect = ConnectClient.connect(url("Bearer " + TOKEN))) {
      // 6 tasks of 2 s on local[2]: four wait for a core while two run.
      Future<Long> query =
          pool.submit(
              () ->
                  connect.sqlLong(
                      "SELECT count(slept) FROM (SELECT reflect('java.lang.Thread', 'sleep',"
                          + " CAST(2000 AS BIGINT)) AS slept FROM range(0, 6, 1, 6))"));
      JsonNode[] seen = new JsonNode[1];
      bridge.process.await(
          "a running Connect operation with its job",
          Duration.ofSeconds(60),
          () -> {
            try {
              seen[0] = bridge.activity();
              return seen[0].path("connectOperations").asInt() == 1
                  && seen[0].path("activeJobs").asInt() >= 1;
            } catch (IOException e) {
              return false;
            }
          });
      assertThat(seen[0].path("connectSessions").asInt()).isGreaterThanOrEqualTo(1);
      assertThat(seen[0].path("pendingTasks").asInt()).isBetween(1, 6);
      assertThat(seen[0].path("attachedRSessions").asInt()).isZero();
      assertThat(query.get(60, TimeUnit.SECONDS)).isEqualTo(6L);
      // With the client still open: the 3.5 client releases a finished operation by an
      // asynchronous ReleaseExecute, which a channel closed at once can drop (seen in CI); the
      // server then keeps the operation until its abandoned-execution timeout (5 min).
      bridge.process.await(
          "the Connect operation closed",
          Duration.ofSeconds(20),
          () -> {
            try {
              return bridge.activity().path("connectOperations").asInt() == 0;
            } catch (IOException e) {
              return false;
            }
          });
    } finally {
      pool.shutdownNow();
    }
    JsonNode after = bridge.activity();
    assertThat(after.path("activeJobs").asInt()).isZero();
    assertThat(Instant.parse(after.path("lastActivity").asText())).isAfter(before);
  }

  @Test
  @Order(6)
  void theLogTellsTheEndpointAndTheRefusalsButNeverTheToken() {
    String log = bridge.process.log();
    assertThat(log)
        .contains("Spark Connect 0.0.0.0:" + connectPort + " (bearer token required)")
        .contains("refused Spark Connect call")
        .contains("wrong bearer token")
        .doesNotContain(TOKEN);
  }

  @Test
  @Order(99)
  void sigtermStopsItCleanlyWithSparkConnectOn() throws Exception {
    int status = bridge.process.terminate(Duration.ofSeconds(30));
    assertThat(status).as(bridge.process.log()).isEqualTo(143);
    assertThat(bridge.process.log()).contains("bridge stopped").doesNotContain(TOKEN);
  }
}
