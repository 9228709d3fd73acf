package io.rspark.operator.reconcile;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.resources.Labels;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Events about clusters, created through the API server. */
final class ApiClusterEvents implements ClusterEvents {
  private static final Logger LOG = LoggerFactory.getLogger(ApiClusterEvents.class);

  private final KubernetesClient client;

  ApiClusterEvents(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void record(RSparkCluster cluster, Reason reason, String message, Instant now) {
    String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(cluster.getMetadata().getName() + "." + UUID.randomUUID())
            .withNamespace(cluster.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(cluster.getApiVersion())
                    .withKind(cluster.getKind())
                    .withName(cluster.getMetadata().getName())
                    .withNamespace(cluster.getMetadata().getNamespace())
                    .withUid(cluster.getMetadata().getUid())
                    .build())
            .withType(reason.warning() ? "Warning" : "Normal")
            .withReason(reason.name())
            .withMessage(message)
            .withFirstTimestamp(time)
            .withLastTimestamp(time)
            .withCount(1)
            .withNewSource()
            .withComponent(Labels.MANAGER)
            .endSource()
            .withReportingComponent(Labels.MANAGER)
            .build();
    try {
      client
          .v1()
          .events()
          .inNamespace(cluster.getMetadata().getNamespace())
          .resource(event)
          .create();
    } catch (KubernetesClientException e) {
      LOG.warn("Could not record Event {} ({}): {}", reason, message, e.getMessage());
    }
  }
}
