package io.rspark.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rspark.bridge.testing.BridgeUnderTest;
import io.rspark.bridge.testing.ImageLayout;
import io.rspark.bridge.testing.LoggedProcess;
import io.rspark.bridge.testing.Prerequisites;
import io.rspark.bridge.testing.Run;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real SparkR and sparklyr sessions, one after another, on a cluster as the pods run it: the
 * entrypoint's driver role (standalone master + bridge) and one worker. Each sparklyr session runs
 * spark_apply with default arguments and with {@code packages = TRUE} (sparklyr then tars the
 * session's whole .libPaths() and adds it to the shared application) and exits; then the executor
 * is killed, and a new SparkR job and a new sparklyr spark_apply must both succeed on its
 * replacement. Over five such rounds the disk the worker and the bridge use must stay bounded. Like
 * {@link RClientsIT}, runs only where {@value RClientsIT#LIBRARY_ENV} names an R library with
 * SparkR and sparklyr, and is skipped elsewhere, CI included.
 */
class RSessionsStandaloneIT {
  private static final int ROUNDS = 5;

  @TempDir Path dir;

  @Test
  void sessionsThatShipPackagesThenEndDoNotBreakOthersAndDiskStaysBounded() throws Exception {
    String libraryDir = System.getenv(RClientsIT.LIBRARY_ENV);
    Assumptions.assumeTrue(
        libraryDir != null && !libraryDir.isBlank(),
        "skipped: set "
            + RClientsIT.LIBRARY_ENV
            + " to an R library with SparkR (3.5.x), sparklyr and dplyr to run the R-client tests");
    Path library = Path.of(libraryDir).toRealPath();
    Path sparklyrJar = library.resolve("sparklyr/java/sparklyr-master-2.12.jar");
    assertThat(library.resolve("SparkR/DESCRIPTION")).exists();
    assertThat(sparklyrJar).exists();
    Prerequisites.rscript();

    // The image's SPARK_HOME, on driver and worker: the jars, and SparkR under R/lib (its
    // worker/daemon.R runs on executors).
    Path sparkHome =
        Files.createDirectories(dir.resolve("spark-home/R/lib")).getParent().getParent();
    Files.createSymbolicLink(sparkHome.resolve("jars"), Prerequisites.sparkHome().resolve("jars"));
    Files.createSymbolicLink(sparkHome.resolve("R/lib/SparkR"), library.resolve("SparkR"));
    Path secretFile = Files.createDirectories(dir.resolve("auth")).resolve("spark-auth-secret");
    Files.writeString(secretFile, "r-sessions-test-secret");
    int masterPort = LoggedProcess.freePort();
    int masterUiPort = LoggedProcess.freePort();
    String masterUrl = "spark://127.0.0.1:" + masterPort;
    Path defaults = Files.createDirectories(dir.resolve("conf")).resolve("spark-defaults.conf");
    Files.writeString(
        defaults,
        String.join(
            "\n",
            "spark.master " + masterUrl,
            "spark.authenticate true",
            "spark.r.command " + Prerequisites.imageDir().resolve("bin/rspark-r"),
            "spark.ui.port " + LoggedProcess.freePort(),
            "spark.executor.memory 512m",
            "spark.cores.max 1",
            ""));
    Map<String, String> operatorEnv =
        Map.of(
            "RSPARK_MASTER_URL",
            masterUrl,
            "RSPARK_POD_IP",
            "127.0.0.1",
            "RSPARK_AUTH_SECRET_FILE",
            secretFile.toString(),
            "RSPARK_SPARK_DEFAULTS_FILE",
            defaults.toString(),
            "RSPARK_R_LIBRARY",
            library.toString(),
            "SPARK_DAEMON_MEMORY",
            "256m");
    Map<String, String> driverEnv = new HashMap<>(operatorEnv);
    driverEnv.put("SPARK_MASTER_PORT", Integer.toString(masterPort));
    driverEnv.put("SPARK_MASTER_WEBUI_PORT", Integer.toString(masterUiPort));

    ImageLayout workerImage = ImageLayout.create(dir.resolve("worker"));
    Path workerWork = workerImage.home().resolve("work");
    int workerUiPort = LoggedProcess.freePort();
    Map<String, String> workerEnv = new HashMap<>(operatorEnv);
    workerEnv.put("SPARK_HOME", sparkHome.toString());
    workerEnv.put("RSPARK_HOME", workerImage.home().toString());
    workerEnv.put("SPARK_CONF_DIR", workerImage.confDir().toString());
    workerEnv.put("SPARK_LOCAL_IP", "127.0.0.1");
    workerEnv.put("SPARK_SCALA_VERSION", Prerequisites.sparkScalaVersion());
    workerEnv.put("SPARK_WORKER_PORT", Integer.toString(LoggedProcess.freePort()));
    workerEnv.put("SPARK_WORKER_WEBUI_PORT", Integer.toString(workerUiPort));
    workerEnv.put("SPARK_WORKER_CORES", "1");
    workerEnv.put("SPARK_WORKER_MEMORY", "1g");
    workerEnv.put("SPARK_WORKER_DIR", workerWork.resolve("worker").toString());
    workerEnv.put("SPARK_LOCAL_DIRS", workerWork.resolve("local").toString());
    workerEnv.put("RSPARK_WORKER_SWEEP_SECONDS", "2");

    try (BridgeUnderTest bridge =
            BridgeUnderTest.start(
                dir.resolve("driver"), "r-sessions", driverEnv, sparkHome, sparklyrJar);
        LoggedProcess worker =
            LoggedProcess.start(
                "worker",
                List.of("bash", workerImage.entrypoint().toString(), "worker"),
                workerEnv,
                dir.resolve("worker"))) {
      bridge.awaitReady(Duration.ofSeconds(180));
      worker.await(
          "registration with the master",
          Duration.ofSeconds(90),
          () -> json(masterUiPort).path("aliveworkers").asInt() == 1);
      Map<String, String> env = new HashMap<>();
      env.put("R_PROFILE", Prerequisites.imageDir().resolve("Rprofile.site").toString());
      env.put("R_LIBS", library.toString());
      env.put("SPARK_HOME", sparkHome.toString());
      env.put("SPARK_CONF_DIR", bridge.layout.confDir().toString());
      env.put("EXISTING_SPARKR_BACKEND_PORT", Integer.toString(bridge.sparkRPort));
      env.put("RSPARK_SPARKLYR_MASTER", "sparklyr://127.0.0.1:" + bridge.sparklyrPort + "/1");
      // Sessions' temp dirs (where sparklyr builds its bundle) are measured with the rest.
      Path rTemp = Files.createDirectories(dir.resolve("r-tmp"));
      env.put("TMPDIR", rTemp.toString());
      Path bridgeWork = bridge.layout.home().resolve("work");

      List<String> rounds = new ArrayList<>();
      List<Long> workerBytes = new ArrayList<>();
      List<Long> bridgeBytes = new ArrayList<>();
      long bundleBytes = 0;
      for (int round = 1; round <= ROUNDS; round++) {
        long t0 = System.nanoTime();
        Run shipping = run(env, SHIPPING_SESSION).get();
        assertThat(shipping.status())
            .as("round %d, shipping sparklyr session:%n%s", round, shipping.output())
            .isZero();
        bundleBytes = Math.max(bundleBytes, Long.parseLong(value(shipping, "BUNDLE_BYTES")));
        long shipped = System.nanoTime();

        ProcessHandle executor = executor(worker);
        Path executorDir = Path.of("/proc", Long.toString(executor.pid()), "cwd").toRealPath();
        // While it still runs, the executor deletes its copies of the ended session's bundle.
        long liveBefore = bytes(executorDir);
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(() -> assertThat(bundleCopies(executorDir)).isEmpty());
        long liveAfter = bytes(executorDir);
        executor.destroyForcibly();
        executor.onExit().join();
        long killed = executor.pid();
        long t1 = System.nanoTime();
        CompletableFuture<Run> sparkR = run(env, RClientsIT.SPARKR_CLIENT);
        CompletableFuture<Run> sparklyr = run(env, RClientsIT.SPARKLYR_CLIENT);
        Run r1 = sparkR.get();
        Run r2 = sparklyr.get();
        assertThat(r1.status())
            .as("round %d, SparkR after executor %d was killed:%n%s", round, killed, r1.output())
            .isZero();
        assertThat(r2.status())
            .as("round %d, sparklyr after executor %d was killed:%n%s", round, killed, r2.output())
            .isZero();
        long t2 = System.nanoTime();
        // The worker's sweeper empties a dead executor's directory but for its logs.
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () -> {
                  try (Stream<Path> left = Files.list(executorDir)) {
                    assertThat(left.map(p -> p.getFileName().toString()))
                        .containsExactlyInAnyOrder("stdout", "stderr");
                  }
                });

        workerBytes.add(bytes(workerWork));
        bridgeBytes.add(bytes(bridgeWork) + bytes(rTemp));
        String line =
            String.format(
                "round %d: shipping session %.1f s, live executor dir %d -> %d bytes, killed"
                    + " executor pid %d, SparkR + sparklyr after it %.1f s; worker work %d bytes,"
                    + " bridge work + R temp %d bytes",
                round,
                (shipped - t0) / 1e9,
                liveBefore,
                liveAfter,
                killed,
                (t2 - t1) / 1e9,
                workerBytes.get(round - 1),
                bridgeBytes.get(round - 1));
        System.out.println(line);
        rounds.add(line);
      }
      String report = String.join("\n", rounds) + "\nbundle " + bundleBytes + " bytes";
      assertThat(bridge.process.log()).as(report).doesNotContain("was not found");
      // Bounded: from the first round to the last, less than one bundle in total. Keeping any
      // copy of an ended session's bundle (the driver's SparkFiles copy, the executors' fetch
      // cache, a dead executor's directory) adds at least one bundle per round; what may grow is
      // logs and event state, kilobytes per round. The first round's own cost stays out of it:
      // Spark's addFile unpacks a .tar beside the driver's copy (about one bundle, in the
      // bridge's SparkFiles directory), and later bundles overwrite the same package directories.
      assertThat(bundleBytes).as(report).isPositive();
      assertThat(workerBytes.get(ROUNDS - 1) - workerBytes.get(0))
          .as(report)
          .isLessThan(bundleBytes);
      assertThat(bridgeBytes.get(ROUNDS - 1) - bridgeBytes.get(0))
          .as(report)
          .isLessThan(bundleBytes);
    }
  }

  /** An executor's copies of session bundles: the fetched tar and sparklyr's unpacked one. */
  private static List<String> bundleCopies(Path executorDir) throws IOException {
    List<String> copies = new ArrayList<>();
    for (Path d : List.of(executorDir, executorDir.resolve("sparklyr-bundle"))) {
      if (Files.isDirectory(d)) {
        try (Stream<Path> files = Files.list(d)) {
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.startsWith("packages."))
              .forEach(copies::add);
        }
      }
    }
    return copies;
  }

  /** The worker's one executor JVM. */
  private static ProcessHandle executor(LoggedProcess worker) {
    List<ProcessHandle> executors =
        worker
            .process()
            .descendants()
            .filter(
                p ->
                    p.info()
                        .commandLine()
                        .orElse("")
                        .contains("org.apache.spark.executor.CoarseGrainedExecutorBackend"))
            .toList();
    assertThat(executors).as("the worker's executor JVMs").hasSize(1);
    return executors.get(0);
  }

  /**
   * spark_apply with default arguments, then with packages = TRUE; says how big the bundle it
   * shipped is, then ends (R removes its temp dir, and the bundle with it).
   */
  static final String SHIPPING_SESSION =
      """
      suppressPackageStartupMessages({ library(sparklyr); library(dplyr) })
      sc <- spark_connect(master = Sys.getenv("RSPARK_SPARKLYR_MASTER"), method = "gateway")
      doubled <- sdf_len(sc, 4) %>% spark_apply(function(df) df * 2) %>% collect()
      stopifnot(isTRUE(all.equal(sort(as.numeric(doubled$id)), c(2, 4, 6, 8))))
      shipped <- sdf_len(sc, 4) %>% spark_apply(function(df) df + 1, packages = TRUE) %>% collect()
      stopifnot(nrow(shipped) == 4)
      bundles <- list.files(tempdir(), "^packages[.].*[.]tar$", recursive = TRUE, full.names = TRUE)
      stopifnot(length(bundles) == 1)
      cat("BUNDLE_BYTES=", format(file.size(bundles), scientific = FALSE), "\\n", sep = "")
      spark_disconnect(sc)
      """;

  private static String value(Run run, String key) {
    Matcher m = Pattern.compile("(?m)^" + key + "=(\\S+)$").matcher(run.output());
    assertThat(m.find()).as("%s in:%n%s", key, run.output()).isTrue();
    return m.group(1);
  }

  private CompletableFuture<Run> run(Map<String, String> env, String script) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            Path file = Files.createTempFile(dir, "client", ".R");
            Files.writeString(file, script);
            return Run.of(dir, env, "Rscript", file.toString());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /**
   * Bytes of the regular files under {@code root}. The executor deletes bundle copies while it
   * runs, so files and directories that vanish during the walk count as gone.
   */
  private static long bytes(Path root) {
    long[] total = {0};
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile()) {
                total[0] += attrs.size();
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              return goneOrThrow(e);
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              return e == null ? FileVisitResult.CONTINUE : goneOrThrow(e);
            }

            private FileVisitResult goneOrThrow(IOException e) throws IOException {
              if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
              }
              throw e;
            }
          });
    } catch (IOException e) {
      throw new IllegalStateException("cannot measure " + root, e);
    }
    return total[0];
  }

  private static JsonNode json(int uiPort) {
    try {
      return new ObjectMapper()
          .readTree(URI.create("http://127.0.0.1:" + uiPort + "/json/").toURL());
    } catch (IOException e) {
      return new ObjectMapper().createObjectNode();
    }
  }
}
