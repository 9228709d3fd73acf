package io.rspark.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rspark.bridge.testing.BridgeUnderTest;
import io.rspark.bridge.testing.Prerequisites;
import io.rspark.bridge.testing.RBackendClient;
import io.rspark.bridge.testing.RBackendClient.JObj;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
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

/** The bridge in single-node mode (local[*]), started by the entrypoint's driver role. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalBridgeIT {
  @TempDir static Path dir;
  static BridgeUnderTest bridge;

  @BeforeAll
  static void start() throws Exception {
    bridge =
        BridgeUnderTest.start(dir, "local-bridge", Map.of("RSPARK_MASTER_URL", "local[2]"))
            .awaitReady(Duration.ofSeconds(120));
  }

  @AfterAll
  static void stop() {
    if (bridge != null) {
      bridge.close();
    }
  }

  @Test
  @Order(0)
  void anIdleBridgeReportsNoSessionsNoJobsAndItsStartAsLastActivity() throws Exception {
    JsonNode activity = bridge.activity();
    assertThat(activity.path("attachedRSessions").asInt()).isZero();
    assertThat(activity.path("sparklyrGateway").isBoolean()).as(activity.toString()).isTrue();
    assertThat(activity.path("sparklyrGateway").asBoolean()).as("no sparklyr jar here").isFalse();
    assertThat(activity.has("sparklyrFreeSessionPorts")).isFalse();
    assertThat(activity.path("activeJobs").asInt()).isZero();
    assertThat(activity.path("pendingTasks").asInt()).isZero();
    Instant last = Instant.parse(activity.path("lastActivity").asText());
    assertThat(last)
        .isAfterOrEqualTo(Instant.ofEpochMilli(bridge.startMillis))
        .isBeforeOrEqualTo(Instant.now());
    assertThat(bridge.activity().path("lastActivity").asText())
        .as("reading the report is no activity")
        .isEqualTo(activity.path("lastActivity").asText());
  }

  @Test
  @Order(1)
  void logsItsEndpointsAndKeepsTheSecretInAPrivateFile() throws Exception {
    Path secretFile = bridge.layout.sparkRSecretFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile)))
        .isEqualTo("rw-------");
    String secret = bridge.sparkRSecret();
    assertThat(secret).matches("[0-9a-f]{64}");
    String log = bridge.process.log();
    assertThat(log)
        .contains("SparkR backend on 127.0.0.1:" + bridge.sparkRPort)
        .contains("application local-")
        .contains("sparklyr gateway off")
        .doesNotContain(secret);
  }

  @Test
  @Order(2)
  void aClientAuthenticatesCreatesADataFrameAndRunsSql() throws Exception {
    try (RBackendClient r = bridge.client()) {
      JObj spark = (JObj) r.callStatic("org.apache.spark.sql.SparkSession", "active");
      assertThat(r.call(spark, "version")).isEqualTo(Prerequisites.sparkVersion());
      JObj range = (JObj) r.call(spark, "range", 1000);
      r.call(range, "createOrReplaceTempView", "numbers");
      JObj sum = (JObj) r.call(spark, "sql", "SELECT sum(id) AS total FROM numbers");
      JObj row = (JObj) r.call(sum, "first");
      assertThat(r.call(row, "getLong", 0)).isEqualTo(499500.0);
    }
  }

  @Test
  @Order(3)
  void twoClientsAtOnceShareOneApplication() throws Exception {
    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<String>> ids = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        ids.add(
            pool.submit(
                () -> {
                  try (RBackendClient r = bridge.client()) {
                    together.await();
                    JObj spark = (JObj) r.callStatic("org.apache.spark.sql.SparkSession", "active");
                    JObj sc = (JObj) r.call(spark, "sparkContext");
                    together.await();
                    return (String) r.call(sc, "applicationId");
                  }
                }));
      }
      assertThat(ids.get(0).get()).startsWith("local-").isEqualTo(ids.get(1).get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @Order(4)
  void aWrongSecretIsRefused() throws Exception {
    String wrong = "0".repeat(64);
    assertThat(RBackendClient.tryAuthenticate(bridge.sparkRPort, wrong)).isNotEqualTo("ok");
  }

  @Test
  @Order(5)
  void aSessionCannotStopTheSharedApplication() throws Exception {
    String appId;
    try (RBackendClient r = bridge.client()) {
      JObj spark = (JObj) r.callStatic("org.apache.spark.sql.SparkSession", "active");
      JObj sc = (JObj) r.call(spark, "sparkContext");
      appId = (String) r.call(sc, "applicationId");
      // What sparkR.session.stop() sends: stop the context, then stop the backend.
      JObj jsc =
          (JObj) r.callStatic("org.apache.spark.api.java.JavaSparkContext", "fromSparkContext", sc);
      assertThat(r.call(jsc, "stop")).isNull();
      assertThat(r.callStatic("SparkRHandler", "stopBackend")).isNull();
    }
    try (RBackendClient r = bridge.client()) {
      JObj spark = (JObj) r.callStatic("org.apache.spark.sql.SparkSession", "active");
      JObj sc = (JObj) r.call(spark, "sparkContext");
      assertThat(r.call(sc, "isStopped")).isEqualTo(false);
      assertThat(r.call(sc, "applicationId")).isEqualTo(appId);
    }
    assertThat(bridge.readyStatus()).isEqualTo(200);
    assertThat(bridge.process.log()).contains("refused").contains("application is shared");
  }

  @Test
  @Order(6)
  void aRunningJobShowsInTheActivityReport() throws Exception {
    Instant before = Instant.parse(bridge.activity().path("lastActivity").asText());
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (RBackendClient r = bridge.client()) {
      JObj spark = (JObj) r.callStatic("org.apache.spark.sql.SparkSession", "active");
      // 8 tasks of 2 s on local[2]: six wait for a core while two run.
      JObj slow =
          (JObj)
              r.call(
                  spark,
                  "sql",
                  "SELECT count(slept) FROM (SELECT reflect('java.lang.Thread', 'sleep',"
                      + " CAST(2000 AS BIGINT)) AS slept FROM range(0, 8, 1, 8))");
      Future<Object> job = pool.submit(() -> r.call((JObj) r.call(slow, "first"), "getLong", 0));
      JsonNode[] seen = new JsonNode[1];
      bridge.process.await(
          "a running job with pending tasks",
          Duration.ofSeconds(60),
          () -> {
            try {
              seen[0] = bridge.activity();
              return seen[0].path("activeJobs").asInt() >= 1
                  && seen[0].path("pendingTasks").asInt() >= 1;
            } catch (IOException e) {
              return false;
            }
          });
      assertThat(seen[0].path("attachedRSessions").asInt()).isEqualTo(1);
      assertThat(seen[0].path("pendingTasks").asInt()).isLessThanOrEqualTo(8);
      assertThat(job.get(60, TimeUnit.SECONDS)).isEqualTo(8.0);
    } finally {
      pool.shutdownNow();
    }
    bridge.process.await(
        "the session detached",
        Duration.ofSeconds(10),
        () -> {
          try {
            return bridge.activity().path("attachedRSessions").asInt() == 0;
          } catch (IOException e) {
            return false;
          }
        });
    JsonNode after = bridge.activity();
    assertThat(after.path("activeJobs").asInt()).isZero();
    assertThat(after.path("pendingTasks").asInt()).isZero();
    assertThat(Instant.parse(after.path("lastActivity").asText())).isAfter(before);
  }

  @Test
  @Order(99)
  void sigtermStopsItCleanly() throws Exception {
    long t0 = System.nanoTime();
    int status = bridge.process.terminate(Duration.ofSeconds(30));
    long millis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(status).as(bridge.process.log()).isEqualTo(143);
    assertThat(millis).isLessThan(20_000);
    assertThat(bridge.process.log()).contains("bridge stopping").contains("bridge stopped");
    assertThat(bridge.layout.sparkRSecretFile()).doesNotExist();
  }
}
