package io.rspark.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rspark.bridge.testing.BridgeUnderTest;
import io.rspark.bridge.testing.ImageLayout;
import io.rspark.bridge.testing.LoggedProcess;
import io.rspark.bridge.testing.Prerequisites;
import io.rspark.bridge.testing.RBackendClient;
import io.rspark.bridge.testing.RBackendClient.JObj;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.r.SQLUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster as the operator's pods run it, from the Spark jars of the line under test: the
 * entrypoint's driver role (standalone master, then the bridge) and its worker role, authenticated
 * with a secret file; the bridge is reached over SparkR's wire protocol, and a second driver in
 * this JVM makes an executor run the R launcher as spark.r.command.
 */
class StandaloneBridgeIT {
  @TempDir static Path dir;
  static String secret;
  static int masterPort;
  static int masterUiPort;
  static Path rLibrary;
  static Path invocations;
  static BridgeUnderTest driver;
  static LoggedProcess worker;

  @BeforeAll
  static void startCluster() throws Exception {
    Path sparkHome = Prerequisites.sparkHome();
    Prerequisites.rscript();
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    secret = HexFormat.of().formatHex(random);
    Path secretFile = dir.resolve("auth/spark-auth-secret");
    Files.createDirectories(secretFile.getParent());
    Files.writeString(secretFile, secret);
    masterPort = LoggedProcess.freePort();
    masterUiPort = LoggedProcess.freePort();
    String masterUrl = "spark://127.0.0.1:" + masterPort;
    Path launcher = Prerequisites.imageDir().resolve("bin/rspark-r");
    Path defaults = dir.resolve("conf/spark-defaults.conf");
    Files.createDirectories(defaults.getParent());
    Files.writeString(
        defaults,
        String.join(
            "\n",
            "# Written by rspark-operator; edit spec.sparkConf instead.",
            "spark.master " + masterUrl,
            "spark.authenticate true",
            "spark.r.command " + launcher,
            "spark.ui.port " + LoggedProcess.freePort(),
            "spark.network.crypto.enabled true",
            "spark.executor.memory 512m",
            "spark.cores.max 1",
            ""));
    rLibrary = Files.createDirectories(dir.resolve("rlib"));
    invocations = dir.resolve("rscript-invocations.log");
    Path recorder = dir.resolve("record-rscript");
    Files.writeString(
        recorder,
        "#!/bin/bash\nprintf '%s\\n' \"$*\" >> '" + invocations + "'\nexec Rscript \"$@\"\n");
    recorder.toFile().setExecutable(true);
    writeDaemonProbe(sparkHome);

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
            "SPARK_DAEMON_MEMORY",
            "256m");
    Map<String, String> driverEnv = new HashMap<>(operatorEnv);
    driverEnv.put("SPARK_MASTER_PORT", Integer.toString(masterPort));
    driverEnv.put("SPARK_MASTER_WEBUI_PORT", Integer.toString(masterUiPort));
    driver = BridgeUnderTest.start(dir.resolve("driver"), "standalone-driver", driverEnv);

    ImageLayout workerImage = ImageLayout.create(dir.resolve("worker"));
    Map<String, String> workerEnv = new HashMap<>(operatorEnv);
    workerEnv.put("SPARK_HOME", sparkHome.toString());
    workerEnv.put("RSPARK_HOME", workerImage.home().toString());
    workerEnv.put("SPARK_CONF_DIR", workerImage.confDir().toString());
    workerEnv.put("SPARK_LOCAL_IP", "127.0.0.1");
    // What the image of the line under test sets (the entrypoint's default is 3.5's 2.12).
    workerEnv.put("SPARK_SCALA_VERSION", Prerequisites.sparkScalaVersion());
    workerEnv.put("SPARK_WORKER_PORT", Integer.toString(LoggedProcess.freePort()));
    workerEnv.put("SPARK_WORKER_WEBUI_PORT", Integer.toString(LoggedProcess.freePort()));
    workerEnv.put("SPARK_WORKER_CORES", "2");
    workerEnv.put("SPARK_WORKER_MEMORY", "2g");
    workerEnv.put("SPARK_WORKER_DIR", workerImage.home().resolve("work/worker").toString());
    workerEnv.put("SPARK_LOCAL_DIRS", workerImage.home().resolve("work/local").toString());
    workerEnv.put("RSPARK_R_LIBRARY", rLibrary.toString());
    workerEnv.put("RSPARK_R_MEMORY_LIMIT_MIB", "3072");
    workerEnv.put("RSPARK_RSCRIPT", recorder.toString());
    worker =
        LoggedProcess.start(
            "worker",
            List.of("bash", workerImage.entrypoint().toString(), "worker"),
            workerEnv,
            dir.resolve("worker"));

    driver.awaitReady(Duration.ofSeconds(120));
    worker.await("registration with the master", Duration.ofSeconds(60), () -> aliveWorkers() == 1);
  }

  /** Stands in for SparkR's daemon.R (not in Maven jars): records how the launcher ran R. */
  private static void writeDaemonProbe(Path sparkHome) throws IOException {
    Path daemon = sparkHome.resolve("R/lib/SparkR/worker/daemon.R");
    Files.createDirectories(daemon.getParent());
    Path record = dir.resolve("daemon-record.txt");
    Files.writeString(
        daemon,
        "vars <- c('SPARKR_WORKER_PORT', 'SPARKR_IS_RUNNING_ON_WORKER', 'SPARKR_RLIBDIR')\n"
            + "lines <- c(paste('args:', paste(commandArgs(), collapse = ' ')),\n"
            + "  paste('lib1:', .libPaths()[1]),\n"
            + "  paste0(vars, '=', Sys.getenv(vars)),\n"
            + "  paste('secret set:', nzchar(Sys.getenv('SPARKR_WORKER_SECRET'))),\n"
            + "  grep('Max address space', readLines('/proc/self/limits'), value = TRUE))\n"
            + "writeLines(lines, '"
            + record
            + "')\n");
  }

  @AfterAll
  static void stopCluster() {
    try {
      if (worker != null) {
        worker.close();
      }
    } finally {
      if (driver != null) {
        driver.close();
      }
    }
  }

  static JsonNode masterJson() throws IOException {
    return new ObjectMapper()
        .readTree(URI.create("http://127.0.0.1:" + masterUiPort + "/json/").toURL());
  }

  static int aliveWorkers() {
    try {
      return masterJson().path("aliveworkers").asInt();
    } catch (IOException e) {
      return -1;
    }
  }

  @Test
  void theSecretGoesOnlyIntoPrivateSparkDefaults() throws Exception {
    for (Path conf :
        List.of(
            driver.layout.confDir().resolve("spark-defaults.conf"),
            dir.resolve("worker/rspark/run/conf/spark-defaults.conf"))) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)))
          .isEqualTo("rw-------");
      assertThat(Files.readString(conf))
          .contains("spark.r.command ")
          .contains("spark.authenticate.secret " + secret);
    }
    List<ProcessHandle> processes =
        new java.util.ArrayList<>(driver.process.process().descendants().toList());
    processes.add(worker.process().toHandle());
    assertThat(processes).hasSizeGreaterThanOrEqualTo(3);
    for (ProcessHandle p : processes) {
      for (String file : List.of("cmdline", "environ")) {
        Path proc = Path.of("/proc", Long.toString(p.pid()), file);
        if (Files.exists(proc)) {
          assertThat(new String(Files.readAllBytes(proc), StandardCharsets.ISO_8859_1))
              .as("%s of %s", file, p.info().command().orElse("?"))
              .doesNotContain(secret);
        }
      }
    }
    String workerCommand =
        new String(
            Files.readAllBytes(Path.of("/proc", Long.toString(worker.process().pid()), "cmdline")),
            StandardCharsets.ISO_8859_1);
    assertThat(workerCommand).contains("-Dspark.worker.preferConfiguredMasterAddress=true");
    assertThat(driver.process.log()).doesNotContain(secret).doesNotContain(driver.sparkRSecret());
    assertThat(worker.log()).doesNotContain(secret);
  }

  @Test
  void clientsShareTheApplicationRunningOnTheWorker() throws Exception {
    String appId;
    try (RBackendClient a = driver.client();
        RBackendClient b = driver.client()) {
      JObj sparkA = (JObj) a.callStatic("org.apache.spark.sql.SparkSession", "active");
      JObj sparkB = (JObj) b.callStatic("org.apache.spark.sql.SparkSession", "active");
      appId = (String) a.call((JObj) a.call(sparkA, "sparkContext"), "applicationId");
      assertThat(appId).startsWith("app-");
      assertThat(b.call((JObj) b.call(sparkB, "sparkContext"), "applicationId")).isEqualTo(appId);

      JObj numbers = (JObj) a.call(sparkA, "range", 1000);
      a.call(numbers, "createOrReplaceTempView", "numbers");
      JObj result =
          (JObj) b.call(sparkB, "sql", "SELECT count(*) AS n, sum(id) AS total FROM numbers");
      JObj row = (JObj) b.call(result, "first");
      assertThat(b.call(row, "getLong", 0)).isEqualTo(1000.0);
      assertThat(b.call(row, "getLong", 1)).isEqualTo(499500.0);
    }
    JsonNode apps = masterJson().path("activeapps");
    assertThat(apps.findValuesAsText("id")).contains(appId);
  }

  /**
   * An added file that disappears before the worker's executor fetched it (an R session's
   * spark_apply bundle once the session ended) must not fail the next job: the executor would ask
   * the driver's file server for it with every task.
   */
  @Test
  void aVanishedSessionFileDoesNotFailJobsOnTheWorker() throws Exception {
    Path sessionTemp = Files.createDirectories(dir.resolve("RtmpGone/packages"));
    Files.writeString(sessionTemp.resolve("DESCRIPTION"), "Package: inBundle\n");
    Path bundle = sessionTemp.resolve("packages.gone-session.tar");
    Process tar =
        new ProcessBuilder(
                "tar", "-cf", bundle.toString(), "-C", sessionTemp.toString(), "DESCRIPTION")
            .inheritIO()
            .start();
    assertThat(tar.waitFor()).isZero();
    try (RBackendClient r = driver.client()) {
      JObj spark = (JObj) r.callStatic("org.apache.spark.sql.SparkSession", "active");
      r.call(spark, "sql", "ADD FILE '" + bundle + "'");
      Files.delete(bundle);
      Thread.sleep(3_000);
      JObj numbers = (JObj) r.call(spark, "range", 100);
      assertThat(r.call(numbers, "count")).isEqualTo(100.0);
    }
    assertThat(driver.process.log())
        .contains("new executors will no longer fetch it: spark://")
        .doesNotContain("was not found");
  }

  @Test
  void aWrongSecretIsRefused() throws Exception {
    assertThat(RBackendClient.tryAuthenticate(driver.sparkRPort, "f".repeat(64)))
        .isNotEqualTo("ok");
  }

  @Test
  void anExecutorRunsTheRLauncherAsSparkRCommand() throws Exception {
    SparkSession spark =
        SparkSession.builder()
            .appName("launcher-probe")
            .master("spark://127.0.0.1:" + masterPort)
            .config("spark.authenticate", "true")
            .config("spark.authenticate.secret", secret)
            .config("spark.network.crypto.enabled", "true")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .config("spark.cores.max", "1")
            .config("spark.executor.memory", "512m")
            .config("spark.task.maxFailures", "1")
            .config("spark.r.command", Prerequisites.imageDir().resolve("bin/rspark-r").toString())
            .getOrCreate();
    try {
      Dataset<Row> df = spark.range(1).toDF();
      Dataset<Row> applied = dapply(df);
      // daemon.R here only records and exits, so the task fails once Spark waits for it.
      assertThatThrownBy(applied::count).hasMessageContaining("Accept timed out");
    } finally {
      spark.stop();
    }
    List<String> calls = Files.readAllLines(invocations);
    assertThat(calls.get(0)).isEqualTo("--version");
    assertThat(calls).anyMatch(c -> c.matches("--no-restore .*/R/lib/SparkR/worker/daemon\\.R"));
    String record = Files.readString(dir.resolve("daemon-record.txt"));
    assertThat(record)
        .contains("--no-restore")
        .contains("lib1: " + rLibrary.toRealPath())
        .containsPattern("SPARKR_WORKER_PORT=\\d+")
        .contains("SPARKR_IS_RUNNING_ON_WORKER=TRUE")
        .contains("SPARKR_RLIBDIR=" + Prerequisites.sparkHome().resolve("R/lib"))
        .contains("secret set: TRUE")
        .containsPattern("Max address space\\s+" + 3072L * 1024 * 1024);
  }

  /**
   * {@code SQLUtils.dapply} with no R function, called by reflection as SparkR itself calls it: its
   * Dataset parameter is spark-sql's {@code Dataset} on Spark 3.5 but {@code
   * org.apache.spark.sql.classic.Dataset} on 4.x, which one source cannot name on both lines.
   */
  @SuppressWarnings("unchecked")
  private static Dataset<Row> dapply(Dataset<Row> df) throws Exception {
    for (Method method : SQLUtils.class.getMethods()) {
      if (method.getName().equals("dapply") && method.getParameterCount() == 5) {
        try {
          return (Dataset<Row>)
              method.invoke(null, df, new byte[] {0}, new byte[0], new Object[0], null);
        } catch (InvocationTargetException e) {
          throw e.getCause() instanceof Exception cause ? cause : e;
        }
      }
    }
    throw new NoSuchMethodException("SQLUtils.dapply");
  }
}
