package io.rspark.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.rspark.operator.config.OperatorConfig;
import io.rspark.operator.reconcile.RSparkClusterReconciler;
import io.rspark.operator.reconcile.SparkAddresses;
import io.rspark.operator.spark.HttpSparkClient;
import io.rspark.operator.spark.SparkClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the JOSDK {@link Operator} with our reconciler from one {@link OperatorConfig}; used by
 * {@link OperatorMain} and, with a test client, by the {@code *IT} tier.
 */
public final class OperatorAssembly {
  private static final Logger log = LoggerFactory.getLogger(OperatorAssembly.class);

  private OperatorAssembly() {}

  /**
   * In-flight reconciliations get this long to finish when the operator stops; below the 30 s a pod
   * gets by default between SIGTERM and SIGKILL.
   */
  static final Duration RECONCILIATION_TERMINATION_TIMEOUT = Duration.ofSeconds(10);

  /** For tests and embedding: the end of leadership is only logged, the JVM never exits. */
  public static Operator build(
      OperatorConfig config, KubernetesClient client, Metrics metrics, Clock clock) {
    return build(config, client, metrics, clock, sparkClient(config), SparkAddresses.podIp());
  }

  /**
   * For tests: Spark is read through {@code sparkClient} at the addresses {@code addresses} gives,
   * e.g. a local HTTP server playing the master.
   */
  public static Operator build(
      OperatorConfig config,
      KubernetesClient client,
      Metrics metrics,
      Clock clock,
      SparkClient sparkClient,
      SparkAddresses addresses) {
    return build(
        config,
        client,
        metrics,
        clock,
        () -> log.info("No longer leading (stopped, or lost the leader Lease)"),
        sparkClient,
        addresses);
  }

  /** The production Spark client; the one place it is chosen. */
  static SparkClient sparkClient(OperatorConfig config) {
    return HttpSparkClient.from(config);
  }

  /**
   * @param onLeadershipLost runs when this replica loses the leader Lease while it was leading, and
   *     also when {@link Operator#stop()} cancels the election of a leading replica. JOSDK's own
   *     reaction, {@code System.exit(1)}, is turned off: called from a shutdown hook (through
   *     {@code stop()}) it would block the JVM forever, so the caller decides.
   */
  public static Operator build(
      OperatorConfig config,
      KubernetesClient client,
      Metrics metrics,
      Clock clock,
      Runnable onLeadershipLost) {
    return build(
        config,
        client,
        metrics,
        clock,
        onLeadershipLost,
        sparkClient(config),
        SparkAddresses.podIp());
  }

  private static Operator build(
      OperatorConfig config,
      KubernetesClient client,
      Metrics metrics,
      Clock clock,
      Runnable onLeadershipLost,
      SparkClient sparkClient,
      SparkAddresses addresses) {
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withMetrics(metrics)
                  .withConcurrentReconciliationThreads(config.get(OperatorConfig.RECONCILE_THREADS))
                  .withReconciliationTerminationTimeout(RECONCILIATION_TERMINATION_TIMEOUT)
                  .withStopOnInformerErrorDuringStartup(true);
              if (config.get(OperatorConfig.LEADER_ELECTION)) {
                o.withLeaderElectionConfiguration(
                    LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                            config.get(OperatorConfig.LEADER_ELECTION_LEASE))
                        .withLeaseNamespace(config.leaseNamespace())
                        .withIdentity(config.leaderIdentity())
                        .withExitOnStopLeading(false)
                        .withLeaderCallbacks(
                            new LeaderCallbacks(() -> {}, onLeadershipLost, leader -> {}))
                        .build());
              }
            });
    Set<String> namespaces = config.get(OperatorConfig.WATCH_NAMESPACES);
    operator.register(
        new RSparkClusterReconciler(config, clock, sparkClient, addresses),
        o -> {
          if (namespaces.isEmpty()) {
            o.watchingAllNamespaces();
          } else {
            o.settingNamespaces(namespaces);
          }
        });
    return operator;
  }
}
