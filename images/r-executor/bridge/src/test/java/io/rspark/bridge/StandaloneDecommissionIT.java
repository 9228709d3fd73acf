package io.rspark.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rspark.bridge.testing.LoggedProcess;
import io.rspark.bridge.testing.Prerequisites;
import io.rspark.bridge.testing.StandaloneCluster;
import io.rspark.bridge.testing.WaitingApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkExecutorInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.sql.Dataset;
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
 * A standalone master and two workers from the Spark jars of the line under test, driven through
 * the states the operator's lifecycle reads from {@code GET /json/}: idle, busy, an application
 * waiting for cores, a worker decommissioned under a running job, and that worker gone. Each
 * state's JSON is compared with the fixture the operator's tests parse
 * (operator/src/test/resources/spark-master): every field of the fixture must still be in what
 * Spark answers. With {@code -Drspark.spark-master.record=true} the fixtures are rewritten from
 * this run instead.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneDecommissionIT {
  static final String KEPT = "127.0.0.2";
  static final String LEAVING = "127.0.0.3";
  static final int ROWS = 100_000;

  @TempDir static Path dir;
  static StandaloneCluster cluster;
  static SparkSession spark;

  @BeforeAll
  static void startCluster() throws IOException {
    cluster = StandaloneCluster.startMaster(dir);
    cluster.startWorker(KEPT, 2);
    cluster.startWorker(LEAVING, 2);
  }

  @AfterAll
  static void stopCluster() {
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
  void idle() throws IOException {
    JsonNode json = cluster.json();
    assertThat(json.path("aliveworkers").asInt()).isEqualTo(2);
    assertThat(json.path("activeapps")).isEmpty();
    matchesFixture("idle", json);
  }

  @Test
  @Order(2)
  void busy() throws IOException {
    spark = cluster.driver("lifecycle-probe").getOrCreate();
    cluster.master.await(
        "executors on both workers",
        Duration.ofSeconds(60),
        () -> cluster.workerCoresUsed(KEPT) == 2 && cluster.workerCoresUsed(LEAVING) == 2);
    JsonNode json = cluster.json();
    assertThat(json.path("coresused").asInt()).isEqualTo(4);
    assertThat(json.path("activeapps").get(0).path("state").asText()).isEqualTo("RUNNING");
    matchesFixture("busy", json);
  }

  @Test
  @Order(3)
  void anApplicationWaitsForCores() throws IOException {
    Path testClasses = codeSource(WaitingApplication.class);
    List<String> command =
        List.of(
            "java",
            "-Xmx512m",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "-cp",
            cluster.sparkHome.resolve("jars") + "/*:" + testClasses,
            WaitingApplication.class.getName(),
            cluster.masterUrl());
    try (LoggedProcess second =
        LoggedProcess.start("waiting-application", command, Map.of(), dir)) {
      second.await("a WAITING application", Duration.ofSeconds(60), () -> waitingApp() != null);
      JsonNode json = cluster.json();
      JsonNode waiting = waitingApp();
      assertThat(waiting.path("cores").asInt()).isZero();
      assertThat(waiting.path("name").asText()).isEqualTo("waiting-for-cores");
      matchesFixture("app-waiting", json);
    }
  }

  @Test
  @Order(4)
  void aDecommissionedWorkerLeavesWhileTheJobCompletes() throws Exception {
    Dataset<Row> cached = spark.range(0, ROWS, 1, 8).selectExpr("id", "id % 10 AS k").cache();
    assertThat(cached.count()).isEqualTo(ROWS);
    Dataset<Row> totals = cached.groupBy("k").agg(functions.sum("id").as("total"));
    // One row per task, each task sleeping 3 s: 16 tasks on 4 cores outlast the decommissioning.
    Dataset<Row> slow =
        spark
            .range(0, 16, 1, 16)
            .selectExpr(
                "id % 10 AS k", "reflect('java.lang.Thread', 'sleep', CAST(3000 AS BIGINT)) AS s");
    CompletableFuture<Row> job =
        CompletableFuture.supplyAsync(
            () ->
                slow.join(totals, "k")
                    .agg(functions.sum("total"), functions.count("*"), functions.count("s"))
                    .first());
    cluster.master.await(
        "the slow stage running on both workers",
        Duration.ofSeconds(60),
        () -> runningSlowTasks() >= 4);

    long asked = System.nanoTime();
    assertThat(cluster.decommission(LEAVING)).isEqualTo(200);
    cluster.master.await(
        "the worker marked DECOMMISSIONED",
        Duration.ofSeconds(10),
        () -> "DECOMMISSIONED".equals(cluster.workerState(LEAVING)));
    JsonNode during = cluster.json();
    matchesFixture("worker-decommissioning", during);

    Row result = job.get(120, TimeUnit.SECONDS);
    long expected = 0;
    for (long id = 0; id < 16; id++) {
      long k = id % 10;
      expected += 10L * (ROWS / 10) * (ROWS / 10 - 1) / 2 + k * (ROWS / 10);
    }
    assertThat(result.getLong(0)).isEqualTo(expected);
    assertThat(result.getLong(1)).isEqualTo(16);

    // The master keeps the worker's coresused as it was (it dropped the executor from the app
    // when it decommissioned it and ignores the executor's exit); the worker's own JSON tells.
    cluster.master.await(
        "the decommissioned worker's executor gone",
        Duration.ofSeconds(120),
        () ->
            cluster.workerExecutors(LEAVING) == 0
                && executorHosts().stream().noneMatch(LEAVING::equals));
    System.out.printf(
        "decommissioned worker's executor gone %.1f s after the request%n",
        (System.nanoTime() - asked) / 1e9);
    JsonNode after = cluster.json();
    matchesFixture("worker-ui-decommissioned", cluster.workerJson(LEAVING));
    assertThat(cluster.workerState(LEAVING)).isEqualTo("DECOMMISSIONED");
    assertThat(cluster.workerState(KEPT)).isEqualTo("ALIVE");
    assertThat(after.path("aliveworkers").asInt()).isEqualTo(1);
    assertThat(after.path("activeapps").get(0).path("state").asText()).isEqualTo("RUNNING");
    assertThat(executorHosts()).contains(KEPT);
    // The cached rows stay readable with one executor left (migrated or recomputed).
    assertThat(cached.count()).isEqualTo(ROWS);
    assertThat(cluster.decommission(LEAVING))
        .as("asked again while it is registered")
        .isEqualTo(200);
    assertThat(cluster.decommission("127.0.0.9")).as("no worker there").isEqualTo(404);
    matchesFixture("worker-decommissioned", after);
  }

  @Test
  @Order(5)
  void theDecommissionedWorkerStopsAndIsLost() throws IOException {
    cluster.workers.get(LEAVING).terminate(Duration.ofSeconds(30));
    cluster.master.await(
        "the stopped worker no longer ALIVE or DECOMMISSIONED",
        Duration.ofSeconds(60),
        () -> {
          String state = cluster.workerState(LEAVING);
          return state == null || !state.equals("DECOMMISSIONED");
        });
    JsonNode json = cluster.json();
    assertThat(json.path("aliveworkers").asInt()).isEqualTo(1);
    assertThat(cluster.workerState(LEAVING)).isEqualTo("DEAD");
    assertThat(cluster.decommission(LEAVING)).as("no worker registered from there").isEqualTo(404);
    matchesFixture("worker-lost", json);
  }

  private static JsonNode waitingApp() {
    JsonNode json = cluster.tryJson();
    if (json != null) {
      for (JsonNode app : json.path("activeapps")) {
        if ("WAITING".equals(app.path("state").asText())) {
          return app;
        }
      }
    }
    return null;
  }

  private static int runningSlowTasks() {
    int running = 0;
    for (int stageId : spark.sparkContext().statusTracker().getActiveStageIds()) {
      SparkStageInfo stage = spark.sparkContext().statusTracker().getStageInfo(stageId).get();
      if (stage.numTasks() == 16) {
        running += stage.numActiveTasks();
      }
    }
    return running;
  }

  private static List<String> executorHosts() {
    List<String> hosts = new ArrayList<>();
    for (SparkExecutorInfo info : spark.sparkContext().statusTracker().getExecutorInfos()) {
      hosts.add(info.host());
    }
    return hosts;
  }

  private static Path codeSource(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Every field of the committed fixture is in the live JSON (Spark has not dropped or renamed one
   * the operator reads); when recording, the live JSON becomes the fixture.
   */
  private static void matchesFixture(String scenario, JsonNode live) throws IOException {
    Path fixture =
        Prerequisites.repoRoot()
            .resolve("operator/src/test/resources/spark-master/" + scenario + ".json");
    ObjectMapper mapper = new ObjectMapper();
    if (Boolean.getBoolean("rspark.spark-master.record")) {
      Files.createDirectories(fixture.getParent());
      Files.writeString(
          fixture, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(live) + "\n");
      return;
    }
    assertThat(fixture).as("fixture; record it with -Drspark.spark-master.record=true").exists();
    Set<String> recorded = fieldPaths(mapper.readTree(fixture.toFile()));
    assertThat(fieldPaths(live)).as("fields of %s", scenario).containsAll(recorded);
  }

  private static Set<String> fieldPaths(JsonNode node) {
    Set<String> paths = new TreeSet<>();
    collect("", node, paths);
    return paths;
  }

  private static void collect(String prefix, JsonNode node, Set<String> paths) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String path = prefix + "." + field.getKey();
        paths.add(path);
        collect(path, field.getValue(), paths);
      }
    } else if (node.isArray()) {
      node.forEach(element -> collect(prefix + "[]", element, paths));
    }
  }
}
