package io.rspark.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rspark.bridge.testing.StandaloneCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The autoscaler's idle signal with the Spark settings the operator gives autoscaled clusters
 * (SparkDefaults.AUTOSCALED on top of SparkDefaults.DECOMMISSION): the bridge's one long-lived
 * application releases its executors when they are idle, so the master lists every worker with
 * {@code coresused} 0 while the application stays RUNNING, and the next job gets executors again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneDynamicAllocationIT {
  static final String FIRST = "127.0.0.4";
  static final String SECOND = "127.0.0.5";
  static final int WORKER_CORES = 2;
  static final int TASKS = 8;
  static final Duration IDLE_DEADLINE = Duration.ofSeconds(30);

  /**
   * The operator's SparkDefaults.AUTOSCALED settings with every timeout shortened so that the test
   * does not wait minutes (the operator: 60 s, 60 s and 2 m); the keys and all else are the same.
   * Without shuffleTracking.timeout the executors of the shuffle job were never released here (no
   * coresused 0 within 30 s, ten idle timeouts); without forceKillTimeout one executor, released
   * while it moved its shuffle files to a peer that was released too, stayed decommissioning for
   * ever in 4 of 7 runs, its worker's cores in use.
   */
  static final Map<String, String> AUTOSCALED =
      Map.of(
          "spark.dynamicAllocation.enabled", "true",
          "spark.dynamicAllocation.shuffleTracking.enabled", "true",
          "spark.dynamicAllocation.executorIdleTimeout", "3s",
          "spark.dynamicAllocation.shuffleTracking.timeout", "3s",
          "spark.executor.decommission.forceKillTimeout", "5s");

  @TempDir static Path dir;
  static StandaloneCluster cluster;
  static SparkSession spark;

  @BeforeAll
  static void start() throws IOException {
    cluster = StandaloneCluster.startMaster(dir);
    cluster.startWorker(FIRST, WORKER_CORES);
    cluster.startWorker(SECOND, WORKER_CORES);
    // The operator's decommission settings (StandaloneCluster.driver) and AUTOSCALED above.
    SparkSession.Builder builder = cluster.driver("dynamic-allocation-probe");
    AUTOSCALED.forEach(builder::config);
    spark = builder.getOrCreate();
  }

  @AfterAll
  static void stop() {
    try {
      if (spark != null) {
        spark.stop();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  @Test
  @Order(1)
  void aJobUsesBothWorkersThenTheirExecutorsAreReleased() throws Exception {
    // No shuffle: each of 8 tasks sleeps 2 s, twice as many as the 4 cores of both workers.
    CompletableFuture<List<Row>> job =
        CompletableFuture.supplyAsync(
            () ->
                spark
                    .range(0, TASKS, 1, TASKS)
                    .selectExpr(
                        "id", "reflect('java.lang.Thread', 'sleep', CAST(2000 AS BIGINT)) AS s")
                    .collectAsList());
    cluster.master.await(
        "executors on both workers",
        Duration.ofSeconds(60),
        () ->
            cluster.workerCoresUsed(FIRST) == WORKER_CORES
                && cluster.workerCoresUsed(SECOND) == WORKER_CORES);
    JsonNode busy = cluster.json();
    int pending = pendingSleepTasks();
    JsonNode app = onlyApp(busy);
    System.out.printf(
        "busy: coresused %d, app %s with %d cores, %d tasks pending in the driver%n",
        busy.path("coresused").asInt(),
        app.path("state").asText(),
        app.path("cores").asInt(),
        pending);
    assertThat(job).as("the job still runs").isNotDone();
    // Tasks wait for cores, yet the master shows the application RUNNING with what it was given:
    // only the driver knows about the pending tasks (the autoscaler reads them from the bridge).
    assertThat(app.path("state").asText()).isEqualTo("RUNNING");
    assertThat(app.path("cores").asInt()).isEqualTo(2 * WORKER_CORES);
    assertThat(pending).isPositive();

    List<Row> rows = job.get(60, TimeUnit.SECONDS);
    long ended = System.nanoTime();
    assertThat(rows).hasSize(TASKS);
    assertThat(rows.stream().mapToLong(row -> row.getLong(0)).sum())
        .isEqualTo(TASKS * (TASKS - 1) / 2);

    awaitBothWorkersIdle("after the first job", ended);
  }

  @Test
  @Order(2)
  void aLaterShuffleJobGetsExecutorsAgainAndReleasesThemToo() throws Exception {
    CompletableFuture<List<Row>> job =
        CompletableFuture.supplyAsync(
            () ->
                spark
                    .range(0, 10_000, 1, TASKS)
                    .selectExpr("id % 10 AS k", "id")
                    .groupBy("k")
                    .agg(functions.sum("id"), functions.count("*"))
                    .orderBy("k")
                    .collectAsList());
    cluster.master.await(
        "executors again",
        Duration.ofSeconds(60),
        () -> cluster.workerCoresUsed(FIRST) > 0 || cluster.workerCoresUsed(SECOND) > 0);
    List<Row> rows = job.get(60, TimeUnit.SECONDS);
    long ended = System.nanoTime();
    assertThat(rows).hasSize(10);
    for (int k = 0; k < 10; k++) {
      Row row = rows.get(k);
      assertThat(row.getLong(0)).isEqualTo(k);
      // ids k, k+10, …, k+9990: 1000 of them.
      assertThat(row.getLong(1)).isEqualTo(1000L * k + 10L * 999 * 1000 / 2);
      assertThat(row.getLong(2)).isEqualTo(1000);
    }

    // The executors now hold the shuffle's map output: they are released after
    // shuffleTracking.timeout, moving the files to a peer while one is left.
    awaitBothWorkersIdle("after the shuffle job", ended);
  }

  private static void awaitBothWorkersIdle(String when, long since) throws IOException {
    cluster.master.await(
        "coresused 0 on both workers " + when,
        IDLE_DEADLINE,
        () -> cluster.workerCoresUsed(FIRST) == 0 && cluster.workerCoresUsed(SECOND) == 0);
    System.out.printf(
        "%s: both workers at coresused 0 %.1f s after the job ended%n",
        when, (System.nanoTime() - since) / 1e9);
    JsonNode idle = cluster.json();
    assertThat(idle.path("coresused").asInt()).isZero();
    assertThat(idle.path("aliveworkers").asInt()).isEqualTo(2);
    assertThat(onlyApp(idle).path("state").asText()).isEqualTo("RUNNING");
    assertThat(onlyApp(idle).path("cores").asInt()).isZero();
    // The driver agrees (a force-killed executor leaves its list a moment after the master's).
    cluster.master.await(
        "no executor left in the driver " + when,
        IDLE_DEADLINE,
        () -> spark.sparkContext().statusTracker().getExecutorInfos().length == 1);
  }

  private static JsonNode onlyApp(JsonNode json) {
    assertThat(json.path("activeapps")).hasSize(1);
    return json.path("activeapps").get(0);
  }

  private static int pendingSleepTasks() {
    int pending = 0;
    for (int stageId : spark.sparkContext().statusTracker().getActiveStageIds()) {
      SparkStageInfo stage = spark.sparkContext().statusTracker().getStageInfo(stageId).get();
      pending += stage.numTasks() - stage.numActiveTasks() - stage.numCompletedTasks();
    }
    return pending;
  }
}
