package io.rspark.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.rspark.operator.config.OperatorConfig;
import io.rspark.operator.reconcile.RSparkClusterReconciler;
import java.time.Clock;
import java.util.Set;

/**
 * Builds the JOSDK {@link Operator} with our reconciler from one {@link OperatorConfig}; used by
 * {@link OperatorMain} and, with a test client, by the {@code *IT} tier.
 */
public final class OperatorAssembly {
  private OperatorAssembly() {}

  public static Operator build(
      OperatorConfig config, KubernetesClient client, Metrics metrics, Clock clock) {
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withMetrics(metrics)
                  .withConcurrentReconciliationThreads(config.get(OperatorConfig.RECONCILE_THREADS))
                  .withStopOnInformerErrorDuringStartup(true);
              if (config.get(OperatorConfig.LEADER_ELECTION)) {
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        config.get(OperatorConfig.LEADER_ELECTION_LEASE), config.leaseNamespace()));
              }
            });
    Set<String> namespaces = config.get(OperatorConfig.WATCH_NAMESPACES);
    operator.register(
        new RSparkClusterReconciler(config, clock),
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
