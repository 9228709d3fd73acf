package io.rspark.bridge.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.rspark.bridge.testing.Prerequisites;
import io.rspark.bridge.testing.Run;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entrypoint's dispatch without Spark; the roles that start Spark are in the *IT tier. */
class EntrypointTest {
  @TempDir Path dir;
  final String entrypoint = Prerequisites.imageDir().resolve("bin/rspark-entrypoint").toString();

  @Test
  void passesOtherCommandsThrough() throws Exception {
    Run run = Run.of(dir, Map.of(), "bash", entrypoint, "printf", "%s-%s", "a b", "c");
    assertThat(run.status()).isZero();
    assertThat(run.output()).isEqualTo("a b-c");
  }

  @Test
  void withoutARoleItSaysHowToUseIt() throws Exception {
    Run run = Run.of(dir, Map.of(), "bash", entrypoint);
    assertThat(run.status()).isEqualTo(64);
    assertThat(run.output())
        .contains("usage: rspark-entrypoint driver|worker|executor|install-packages|decommission");
  }

  @Test
  void workerNeedsTheOperatorsEnvironment() throws Exception {
    Run run =
        Run.of(
            dir,
            Map.of("SPARK_CONF_DIR", dir.resolve("conf").toString()),
            "bash",
            entrypoint,
            "worker");
    assertThat(run.status()).isNotZero();
    assertThat(run.output()).contains("RSPARK_MASTER_URL");
  }

  /**
   * The worker role's sweeper, with a stand-in for the worker JVM: a dead executor's directory is
   * emptied but for its logs; one a process runs in, and one whose stderr just changed, are left
   * alone; the sweeper ends with the worker.
   */
  @Test
  void theWorkerEmptiesDeadExecutorsDirectoriesButKeepsTheirLogs() throws Exception {
    Path javaHome = Files.createDirectories(dir.resolve("jdk/bin")).getParent();
    Path java = javaHome.resolve("bin/java");
    Files.writeString(java, "#!/bin/bash\nexec sleep 30\n");
    java.toFile().setExecutable(true);
    Path work = dir.resolve("work");
    Map<String, Path> executors = new HashMap<>();
    for (String id : List.of("dead", "running", "starting")) {
      Path executor = Files.createDirectories(work.resolve("app-20261205-0000/" + id));
      Files.writeString(executor.resolve("stdout"), "out\n");
      Files.writeString(executor.resolve("stderr"), "err\n");
      Files.createDirectories(executor.resolve("sparklyr-bundle/packages.s1/dplyr"));
      Files.writeString(executor.resolve("packages.s1.tar"), "bundle");
      executors.put(id, executor);
    }
    for (String id : List.of("dead", "running")) {
      executors
          .get(id)
          .resolve("stderr")
          .toFile()
          .setLastModified(System.currentTimeMillis() - 60_000);
    }
    Process running =
        new ProcessBuilder("sleep", "30").directory(executors.get("running").toFile()).start();
    Map<String, String> env = new HashMap<>();
    env.put("JAVA_HOME", javaHome.toString());
    env.put("SPARK_CONF_DIR", dir.resolve("conf").toString());
    env.put("RSPARK_MASTER_URL", "spark://127.0.0.1:7077");
    env.put("RSPARK_POD_IP", "127.0.0.1");
    env.put("SPARK_WORKER_DIR", work.toString());
    env.put("RSPARK_WORKER_SWEEP_SECONDS", "1");
    ProcessBuilder builder = new ProcessBuilder("bash", entrypoint, "worker").inheritIO();
    builder.environment().putAll(env);
    Process worker = builder.start();
    try {
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (Files.exists(executors.get("dead").resolve("packages.s1.tar"))
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      Thread.sleep(1_500); // one more sweep, which must leave the others alone
      assertThat(listing(executors.get("dead"))).containsExactlyInAnyOrder("stdout", "stderr");
      for (String id : List.of("running", "starting")) {
        assertThat(listing(executors.get(id)))
            .as(id)
            .containsExactlyInAnyOrder("stdout", "stderr", "sparklyr-bundle", "packages.s1.tar");
      }
    } finally {
      worker.destroyForcibly();
      running.destroyForcibly();
    }
    worker.onExit().join();
    String marker = "SPARK_WORKER_DIR=" + work;
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (sweeperAlive(marker) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(sweeperAlive(marker)).as("the sweeper outlived the worker").isFalse();
  }

  private static List<String> listing(Path dir) throws Exception {
    try (var files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }

  /** Whether a process with {@code marker} in its environment (the sweeper) still runs. */
  private static boolean sweeperAlive(String marker) {
    return ProcessHandle.allProcesses()
        .anyMatch(
            p -> {
              try {
                String environ =
                    new String(
                        Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ")),
                        StandardCharsets.ISO_8859_1);
                return List.of(environ.split("\0")).contains(marker);
              } catch (Exception e) {
                return false;
              }
            });
  }

  @Test
  void executorNeedsSparksEnvironment() throws Exception {
    Run run = Run.of(dir, Map.of(), "bash", entrypoint, "executor");
    assertThat(run.status()).isNotZero();
    assertThat(run.output()).contains("SPARK_DRIVER_URL");
  }

  /** A java that prints its arguments one per line, so the command line can be checked. */
  private Path fakeJavaHome() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("jdk/bin"));
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\n");
    java.toFile().setExecutable(true);
    return dir.resolve("jdk");
  }

  @Test
  void executorRunsSparksKubernetesExecutorBackendWithItsOptionsInOrder() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("JAVA_HOME", fakeJavaHome().toString());
    env.put("SPARK_HOME", "/opt/spark");
    env.put("SPARK_CONF_DIR", "/opt/spark/conf");
    env.put("SPARK_DRIVER_URL", "spark://CoarseGrainedScheduler@k-driver.ns.svc:7079");
    env.put("SPARK_EXECUTOR_ID", "7");
    env.put("SPARK_EXECUTOR_MEMORY", "4915m");
    env.put("SPARK_EXECUTOR_CORES", "2");
    env.put("SPARK_APPLICATION_ID", "spark-0123");
    env.put("SPARK_EXECUTOR_POD_IP", "10.1.2.3");
    env.put("SPARK_RESOURCE_PROFILE_ID", "0");
    env.put("SPARK_EXECUTOR_POD_NAME", "k-exec-7");
    env.put("SPARK_JAVA_OPT_0", "-Dspark.driver.port=7079");
    env.put("SPARK_JAVA_OPT_2", "-Dspark.authenticate=true");
    env.put("SPARK_JAVA_OPT_10", "-Dspark.app.name=has spaces");
    env.put("SPARK_JAVA_OPT_1", "-Dspark.authenticate.secret.executor.file=/etc/rspark/auth/s");
    // spark.executor.extraClassPath, as Spark's Kubernetes backend passes it to executor pods.
    env.put("SPARK_CLASSPATH", "/opt/rspark/lib/bridge.jar");
    Run run = Run.of(dir, env, "bash", entrypoint, "executor");
    assertThat(run.status()).isZero();
    List<String> args = List.of(run.output().split("\n"));
    assertThat(args).startsWith("-Xms4915m", "-Xmx4915m");
    assertThat(args)
        .containsSubsequence(
            "-Dspark.driver.port=7079",
            "-Dspark.authenticate.secret.executor.file=/etc/rspark/auth/s",
            "-Dspark.authenticate=true",
            "-Dspark.app.name=has spaces",
            "-cp",
            "/opt/spark/conf:/opt/spark/jars/*:/opt/rspark/lib/bridge.jar",
            "org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend");
    assertThat(String.join(" ", args))
        .endsWith(
            "KubernetesExecutorBackend --driver-url"
                + " spark://CoarseGrainedScheduler@k-driver.ns.svc:7079 --executor-id 7 --cores 2"
                + " --app-id spark-0123 --hostname 10.1.2.3 --resourceProfileId 0 --podName"
                + " k-exec-7");
  }

  /** The worker UI's JSON as recorded from Spark 3.5.6 once its executor had left. */
  private static String idleWorkerJson() throws Exception {
    return Files.readString(
        Prerequisites.repoRoot()
            .resolve("operator/src/test/resources/spark-master/worker-ui-decommissioned.json"));
  }

  /** The same worker while its executor still runs: the finished executor listed as running. */
  private static String busyWorkerJson() throws Exception {
    String idle = idleWorkerJson();
    int finished = idle.indexOf('[', idle.indexOf("\"finishedexecutors\""));
    String executor = idle.substring(finished, idle.lastIndexOf(']') + 1);
    String busy = idle.replace("\"executors\" : [ ]", "\"executors\" : " + executor);
    assertThat(busy).isNotEqualTo(idle).contains("\"executors\" : [ {");
    return busy;
  }

  /** A worker UI on loopback: request n (from 1) is answered busy while {@code busy} says so. */
  private HttpServer workerUi(AtomicInteger requests, IntPredicate busy) throws Exception {
    String busyJson = busyWorkerJson();
    String idleJson = idleWorkerJson();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/json/",
        exchange -> {
          try (exchange) {
            String body = busy.test(requests.incrementAndGet()) ? busyJson : idleJson;
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
          }
        });
    server.start();
    return server;
  }

  /** A stand-in for the worker JVM: records every SIGPWR it gets in {@code signals}. */
  private Process fakeWorker(Path signals) throws Exception {
    Path script = dir.resolve("fake-worker");
    Path ready = dir.resolve("fake-worker.ready");
    Files.writeString(
        script, "trap 'echo PWR >>\"$1\"' PWR\n: >\"$2\"\nwhile :; do sleep 0.1; done\n");
    Process worker =
        new ProcessBuilder("bash", script.toString(), signals.toString(), ready.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("fake-worker.log").toFile())
            .start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!Files.exists(ready)) {
      assertThat(System.nanoTime()).as("fake worker started").isLessThan(deadline);
      Thread.sleep(20);
    }
    return worker;
  }

  private Map<String, String> decommissionEnv(long workerPid, int uiPort, String decommission)
      throws Exception {
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(
        conf.resolve("spark-defaults.conf"),
        "spark.master spark://127.0.0.1:7077\nspark.decommission.enabled " + decommission + "\n");
    Map<String, String> env = new HashMap<>();
    env.put("SPARK_CONF_DIR", conf.toString());
    env.put("RSPARK_WORKER_PID", Long.toString(workerPid));
    env.put("SPARK_WORKER_WEBUI_PORT", Integer.toString(uiPort));
    return env;
  }

  /** Waits for the fake worker's trap to run (it runs between its 0.1 s sleeps). */
  private static String signalsAfterAWhile(Path signals) throws Exception {
    Thread.sleep(500);
    return Files.exists(signals) ? Files.readString(signals) : "";
  }

  @Test
  void decommissionSignalsTheWorkerAndReturnsOnceItRunsNoExecutor() throws Exception {
    Path signals = dir.resolve("signals");
    Process worker = fakeWorker(signals);
    AtomicInteger requests = new AtomicInteger();
    HttpServer ui = workerUi(requests, n -> n <= 2);
    try {
      Run run =
          Run.of(
              dir,
              decommissionEnv(worker.pid(), ui.getAddress().getPort(), "true"),
              "bash",
              entrypoint,
              "decommission");
      assertThat(run.status()).as(run.output()).isZero();
      assertThat(signalsAfterAWhile(signals)).isEqualTo("PWR\n");
      // Two answers with the executor, then the empty list ends the wait: exactly three polls,
      // a second apart.
      assertThat(requests).hasValue(3);
      assertThat(run.millis()).isGreaterThanOrEqualTo(2000);
      assertThat(run.output())
          .contains("sent SIGPWR to the worker (pid " + worker.pid() + ")")
          .contains("the worker runs no executor any more");
      assertThat(worker.isAlive()).as("the hook leaves stopping the worker to SIGTERM").isTrue();
    } finally {
      ui.stop(0);
      worker.destroyForcibly();
    }
  }

  @Test
  void decommissionGivesUpAtItsDeadlineAndStillSucceeds() throws Exception {
    Path signals = dir.resolve("signals");
    Process worker = fakeWorker(signals);
    AtomicInteger requests = new AtomicInteger();
    HttpServer ui = workerUi(requests, n -> true);
    try {
      Map<String, String> env = decommissionEnv(worker.pid(), ui.getAddress().getPort(), "true");
      env.put("RSPARK_DECOMMISSION_SECONDS", "3");
      Run run = Run.of(dir, env, "bash", entrypoint, "decommission");
      assertThat(run.status()).as(run.output()).isZero();
      assertThat(run.output()).contains("executors still run after 3s");
      // bash counts SECONDS in whole seconds: the deadline falls up to one second early.
      assertThat(run.millis()).isBetween(2000L, 10_000L);
      assertThat(requests.get()).isGreaterThanOrEqualTo(2);
      assertThat(signalsAfterAWhile(signals)).isEqualTo("PWR\n");
    } finally {
      ui.stop(0);
      worker.destroyForcibly();
    }
  }

  @Test
  void decommissionReturnsAtOnceWhenTheWorkerUiDoesNotAnswer() throws Exception {
    Path signals = dir.resolve("signals");
    Process worker = fakeWorker(signals);
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    try {
      Run run =
          Run.of(
              dir,
              decommissionEnv(worker.pid(), closedPort, "true"),
              "bash",
              entrypoint,
              "decommission");
      assertThat(run.status()).as(run.output()).isZero();
      assertThat(run.output()).contains("does not answer; the worker is gone");
      assertThat(run.millis()).isLessThan(5000);
      assertThat(signalsAfterAWhile(signals)).isEqualTo("PWR\n");
    } finally {
      worker.destroyForcibly();
    }
  }

  @Test
  void decommissionSucceedsWhenThereIsNoWorkerProcess() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Run run =
        Run.of(dir, decommissionEnv(gone.pid(), 1, "true"), "bash", entrypoint, "decommission");
    assertThat(run.status()).as(run.output()).isZero();
    assertThat(run.output()).contains("no worker process " + gone.pid() + " to signal");
  }

  @Test
  void decommissionLeavesAWorkerWithoutSparkDecommissioningToSigterm() throws Exception {
    Path signals = dir.resolve("signals");
    Process worker = fakeWorker(signals);
    AtomicInteger requests = new AtomicInteger();
    HttpServer ui = workerUi(requests, n -> true);
    try {
      Run run =
          Run.of(
              dir,
              decommissionEnv(worker.pid(), ui.getAddress().getPort(), "false"),
              "bash",
              entrypoint,
              "decommission");
      assertThat(run.status()).as(run.output()).isZero();
      assertThat(run.output()).contains("spark.decommission.enabled is not true");
      assertThat(signalsAfterAWhile(signals)).isEmpty();
      assertThat(requests).hasValue(0);
    } finally {
      ui.stop(0);
      worker.destroyForcibly();
    }
  }
}
