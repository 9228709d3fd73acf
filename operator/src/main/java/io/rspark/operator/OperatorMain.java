package io.rspark.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rspark.operator.config.OperatorConfig;
import io.rspark.operator.runtime.ApiServerCheck;
import io.rspark.operator.runtime.CrdInstaller;
import io.rspark.operator.runtime.Health;
import io.rspark.operator.runtime.HttpEndpoints;
import io.rspark.operator.runtime.HttpEndpoints.Response;
import io.rspark.operator.runtime.LeaseRelease;
import io.rspark.operator.runtime.OperatorMetrics;
import io.rspark.operator.runtime.StartupException;
import io.rspark.operator.runtime.Usage;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process: configuration, a reachable API server, the CRD if asked, health and metrics
 * endpoints, the operator, and a clean stop on SIGTERM. Start-up problems end the process with one
 * line on stderr and a non-zero status, never a stack trace.
 */
public final class OperatorMain {
  static final int EXIT_CANNOT_START = 1;
  static final int EXIT_USAGE = 2;

  /** For the start-up check and the Lease release at stop: one try each, no retries. */
  private static final Duration API_CHECK_TIMEOUT = Duration.ofSeconds(5);

  private static final Duration CRD_ESTABLISHED_TIMEOUT = Duration.ofSeconds(60);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final OperatorConfig config;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  // Created only after the configuration is valid: logback reads rspark.log-format itself.
  private Logger log;

  private OperatorMain(OperatorConfig config) {
    this.config = config;
  }

  public static void main(String[] args) {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.print(Usage.text());
      return;
    }
    if (args.length > 0) {
      exit(
          EXIT_USAGE,
          "unknown argument '"
              + args[0]
              + "'; options are system properties or environment variables, see --help");
    }
    OperatorConfig config = OperatorConfig.fromProcess();
    try {
      config.validate();
    } catch (IllegalArgumentException e) {
      exit(EXIT_USAGE, e.getMessage());
    }
    try {
      new OperatorMain(config).run();
    } catch (StartupException e) {
      exit(EXIT_CANNOT_START, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() throws InterruptedException {
    log = LoggerFactory.getLogger(OperatorMain.class);
    KubernetesClient client = new KubernetesClientBuilder().build();
    VersionInfo version = ApiServerCheck.verify(client.getConfiguration(), API_CHECK_TIMEOUT);
    log.info(
        "Kubernetes API server {} (version {}.{})",
        client.getConfiguration().getMasterUrl(),
        version.getMajor(),
        version.getMinor());
    config.deprecations().forEach(log::warn);
    if (config.get(OperatorConfig.INSTALL_CRDS)) {
      String crd = CrdInstaller.install(client, CRD_ESTABLISHED_TIMEOUT);
      log.info("CRD {} installed and established", crd);
    }

    PrometheusMeterRegistry registry = OperatorMetrics.prometheusRegistry();
    Operator operator =
        OperatorAssembly.build(
            config, client, new OperatorMetrics(registry), Clock.systemUTC(), this::leadershipLost);
    Health health = new Health(operator::getRuntimeInfo);
    HttpEndpoints healthEndpoints =
        HttpEndpoints.start(
            OperatorConfig.HEALTH_PORT.name(),
            config.get(OperatorConfig.HEALTH_PORT),
            Map.of("/healthz", health::liveness, "/readyz", health::readiness));
    HttpEndpoints metricsEndpoints =
        HttpEndpoints.start(
            OperatorConfig.METRICS_PORT.name(),
            config.get(OperatorConfig.METRICS_PORT),
            Map.of("/metrics", () -> new Response(200, PROMETHEUS_TEXT, registry.scrape())));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopping.set(true);
                  health.stopping();
                  stop(operator, client);
                  healthEndpoints.close();
                  metricsEndpoints.close();
                  stopped.countDown();
                },
                "rspark-shutdown"));

    try {
      operator.start();
    } catch (RuntimeException e) {
      health.failed(StartupException.rootMessage(e));
      throw new StartupException(
          "The operator failed to start: " + StartupException.rootMessage(e), e);
    }
    health.running();
    log.info(
        "Operator started; /healthz and /readyz on port {}, /metrics on port {}",
        healthEndpoints.port(),
        metricsEndpoints.port());
    stopped.await();
  }

  private void stop(Operator operator, KubernetesClient client) {
    log.info("Stopping the operator");
    operator.stop();
    if (config.get(OperatorConfig.LEADER_ELECTION)
        && LeaseRelease.release(
            client.getConfiguration(),
            config.leaseNamespace(),
            config.get(OperatorConfig.LEADER_ELECTION_LEASE),
            config.leaderIdentity(),
            API_CHECK_TIMEOUT)) {
      log.info("Released the leader Lease");
    }
    client.close();
    log.info("Operator stopped");
  }

  /**
   * Another replica may be leading by now, so this one must stop reconciling: exit and let the
   * Deployment restart it as a standby. Not when the Lease ends because we are stopping anyway.
   */
  private void leadershipLost() {
    if (stopping.get()) {
      return;
    }
    log.error("Lost the leader Lease; exiting so that only the new leader reconciles");
    // From a thread of our own: System.exit waits for the shutdown hook, which waits for JOSDK's
    // executors, one of which is running this callback.
    new Thread(() -> System.exit(EXIT_CANNOT_START), "rspark-exit").start();
  }

  private static void exit(int status, String message) {
    System.err.println("rspark-operator: " + message);
    System.exit(status);
  }
}
