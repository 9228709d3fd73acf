package io.rspark.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.bridge.testing.Prerequisites;
import io.rspark.bridge.testing.Run;
import io.rspark.bridge.testing.StandaloneCluster;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker container's preStop hook against a real Spark worker of the line under test: {@code
 * rspark-entrypoint decommission} signals the worker running part of a job, the master lists it
 * DECOMMISSIONED, the hook returns once the worker's own executors are gone, and the job completes
 * on the other worker.
 */
class PreStopDecommissionIT {
  /** The leaving worker's UI binds to its host; in a pod it binds to all addresses. */
  static final String LEAVING = "127.0.0.1";

  static final String KEPT = "127.0.0.2";
  static final long ROWS = 100_000;

  @TempDir Path dir;

  @Test
  void theHookDecommissionsTheWorkerAndReturnsOnceItsExecutorsAreGone() throws Exception {
    String entrypoint = Prerequisites.imageDir().resolve("bin/rspark-entrypoint").toString();
    try (StandaloneCluster cluster = StandaloneCluster.startMaster(dir)) {
      cluster.startWorker(KEPT, 2);
      long workerPid = cluster.startWorker(LEAVING, 2).process().pid();
      int workerUiPort =
          URI.create(cluster.worker(LEAVING).path("webuiaddress").asText()).getPort();
      SparkSession spark =
          cluster
              .driver("prestop-probe")
              // One migration pass every 5 s instead of 30 s keeps the test short.
              .config("spark.storage.decommission.replicationReattemptInterval", "5s")
              .getOrCreate();
      try {
        cluster.master.await(
            "executors on both workers",
            Duration.ofSeconds(60),
            () -> cluster.workerCoresUsed(KEPT) == 2 && cluster.workerCoresUsed(LEAVING) == 2);
        Dataset<Row> cached = spark.range(0, ROWS, 1, 8).selectExpr("id", "id % 10 AS k").cache();
        assertThat(cached.count()).isEqualTo(ROWS);
        Dataset<Row> totals = cached.groupBy("k").agg(functions.sum("id").as("total"));
        // 16 tasks of 3 s on 4 cores: the job still runs when the hook starts.
        Dataset<Row> slow =
            spark
                .range(0, 16, 1, 16)
                .selectExpr(
                    "id % 10 AS k",
                    "reflect('java.lang.Thread', 'sleep', CAST(3000 AS BIGINT)) AS s");
        CompletableFuture<Row> job =
            CompletableFuture.supplyAsync(
                () ->
                    slow.join(totals, "k")
                        .agg(functions.sum("total"), functions.count("*"))
                        .first());
        cluster.master.await(
            "the slow stage running on both workers",
            Duration.ofSeconds(60),
            () -> runningTasksOf(spark, 16) >= 4);
        assertThat(cluster.workerExecutors(LEAVING)).isEqualTo(1);

        Path conf = Files.createDirectories(dir.resolve("hook-conf"));
        Files.writeString(conf.resolve("spark-defaults.conf"), "spark.decommission.enabled true\n");
        Map<String, String> env =
            Map.of(
                "SPARK_CONF_DIR", conf.toString(),
                "RSPARK_WORKER_PID", Long.toString(workerPid),
                "SPARK_WORKER_WEBUI_PORT", Integer.toString(workerUiPort),
                "RSPARK_DECOMMISSION_SECONDS", "90");
        CompletableFuture<Run> hook =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return Run.of(dir, env, "bash", entrypoint, "decommission");
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        cluster.master.await(
            "the worker marked DECOMMISSIONED after the signal",
            Duration.ofSeconds(20),
            () -> "DECOMMISSIONED".equals(cluster.workerState(LEAVING)));

        Run run = hook.get(100, TimeUnit.SECONDS);
        System.out.printf(
            "preStop hook returned after %.1f s:%n%s%n", run.millis() / 1e3, run.output());
        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.output()).contains("the worker runs no executor any more");
        assertThat(cluster.workerExecutors(LEAVING)).as("the worker's executors").isZero();
        assertThat(cluster.workers.get(LEAVING).log()).contains("Decommission worker");
        assertThat(cluster.workers.get(LEAVING).process().isAlive())
            .as("the worker waits for SIGTERM")
            .isTrue();
        assertThat(cluster.workerState(KEPT)).isEqualTo("ALIVE");

        Row result = job.get(120, TimeUnit.SECONDS);
        long expected = 0;
        for (long id = 0; id < 16; id++) {
          expected += 10L * (ROWS / 10) * (ROWS / 10 - 1) / 2 + (id % 10) * (ROWS / 10);
        }
        assertThat(result.getLong(0)).isEqualTo(expected);
        assertThat(result.getLong(1)).isEqualTo(16);
        assertThat(cached.count()).isEqualTo(ROWS);
      } finally {
        spark.stop();
      }
    }
  }

  private static int runningTasksOf(SparkSession spark, int numTasks) {
    int running = 0;
    for (int stageId : spark.sparkContext().statusTracker().getActiveStageIds()) {
      SparkStageInfo stage = spark.sparkContext().statusTracker().getStageInfo(stageId).get();
      if (stage.numTasks() == numTasks) {
        running += stage.numActiveTasks();
      }
    }
    return running;
  }
}
