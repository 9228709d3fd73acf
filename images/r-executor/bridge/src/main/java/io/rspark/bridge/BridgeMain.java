package io.rspark.bridge;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connect.service.SparkConnectService;
import org.apache.spark.sql.connect.service.SparkConnectService$;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver JVM of a cluster: owns the one SparkSession and serves it to SparkR and sparklyr
 * sessions of the pod, reports readiness on {@code /ready}, and stops cleanly on SIGTERM. When the
 * application ends under it (the master removed it), it exits non-zero so the pod restarts it.
 */
public final class BridgeMain {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeMain.class);

  private final BridgeConfig config;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean stopping;
  private volatile boolean started;
  private volatile boolean sparklyrOn;
  private volatile boolean connectOn;
  private SparkSession spark;
  private SparkRService sparkR;
  private SparklyrGateway sparklyr;
  private HealthServer health;
  private volatile DriverActivity activity;

  BridgeMain(BridgeConfig config) {
    this.config = config;
  }

  public static void main(String[] args) throws Exception {
    BridgeMain bridge = new BridgeMain(BridgeConfig.from(System.getenv(), System.getProperties()));
    Runtime.getRuntime().addShutdownHook(new Thread(bridge::stop, "bridge-shutdown"));
    bridge.start();
    bridge.stopped.await();
  }

  void start() throws Exception {
    long t0 = System.nanoTime();
    health = new HealthServer(config.healthPort(), this::ready, this::activityReport);
    health.start();
    spark = SparkSession.builder().config(SparkConfFactory.create(config)).getOrCreate();
    SparkContext sc = spark.sparkContext();
    sc.addSparkListener(new ExitWhenApplicationEnds());
    new SessionFilesGuard(sc).start();
    warmUp();
    DriverActivity tracker =
        new DriverActivity(
            sc,
            () -> sparkR.sessions(),
            config.sparklyrPort(),
            this::sparklyrFreeSessionPorts,
            config.connectPort().isPresent());
    sc.addSparkListener(tracker);
    sparkR = new SparkRService(config, tracker::touch);
    sparkR.start();
    sparklyr = new SparklyrGateway(config);
    Optional<String> sparklyrUrl = sparklyr.start(spark);
    sparklyrOn = sparklyrUrl.isPresent();
    if (config.connectPort().isPresent()) {
      // On the bridge's own context: every Connect session is a new SparkSession of the one
      // application that SparkR and sparklyr share.
      SparkConnectService.start(sc);
      connectOn = true;
    }
    if (sparklyrOn) {
      sparklyr.watchSessionPorts();
    }
    activity = tracker;
    started = true;
    LOG.info(
        "bridge ready in {} ms: application {} on {} (Spark {}), app UI {}, SparkR 127.0.0.1:{},"
            + " sparklyr {}, Spark Connect {}, readiness http://0.0.0.0:{}{}",
        (System.nanoTime() - t0) / 1_000_000,
        sc.applicationId(),
        sc.master(),
        sc.version(),
        sc.uiWebUrl().getOrElse(() -> "off"),
        config.sparkRPort(),
        sparklyrUrl.orElse("off"),
        connectOn
            ? "0.0.0.0:" + SparkConnectService$.MODULE$.localPort() + " (bearer token required)"
            : "off",
        health.port(),
        HealthServer.READY_PATH);
  }

  /**
   * Builds the shared session's lazily made state (catalog, analyser, planner, code generator) now,
   * so the first R session after a (re)start attaches as fast as the others instead of paying
   * seconds for it. A one-row VALUES table is a local relation: collected in this JVM, it starts no
   * job and so waits for no executor (a bare {@code SELECT 1} does start one).
   */
  private void warmUp() {
    long t0 = System.nanoTime();
    spark.sql("SELECT one FROM VALUES (1) AS t(one)").collect();
    LOG.info("shared session state initialised in {} ms", (System.nanoTime() - t0) / 1_000_000);
  }

  private OptionalInt sparklyrFreeSessionPorts() {
    return sparklyrOn
        ? OptionalInt.of(
            SparklyrSessionPorts.free(
                config.sparklyrPort(), config.sparklyrSessions(), SparklyrSessionPorts.listening()))
        : OptionalInt.empty();
  }

  private String activityReport() {
    DriverActivity current = activity;
    return current == null || stopping ? null : current.json();
  }

  boolean ready() {
    return started
        && !stopping
        && !spark.sparkContext().isStopped()
        && sparkR.serving()
        && (!sparklyrOn || sparklyr.serving());
  }

  void stop() {
    if (stopping) {
      return;
    }
    stopping = true;
    LOG.info("bridge stopping");
    try {
      if (sparkR != null) {
        sparkR.close();
      }
      if (connectOn) {
        SparkConnectService.stop(scala.Option.empty(), scala.Option.empty());
      }
      if (spark != null) {
        spark.stop();
      }
      if (health != null) {
        health.close();
      }
      LOG.info("bridge stopped");
    } catch (Exception e) {
      LOG.error("bridge did not stop cleanly", e);
    } finally {
      stopped.countDown();
    }
  }

  private final class ExitWhenApplicationEnds extends SparkListener {
    @Override
    public void onApplicationEnd(SparkListenerApplicationEnd end) {
      if (!stopping) {
        LOG.error("the shared Spark application ended under the bridge; exiting for a restart");
        Thread exit = new Thread(() -> System.exit(1), "bridge-exit");
        exit.start();
      }
    }
  }
}
