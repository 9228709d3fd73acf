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

/**
 * Kubernetes Events about a cluster, so that {@code kubectl describe rsc/NAME} tells its story.
 * Recording is best effort: a lost Event must not fail or repeat a reconcile.
 */
public final class ClusterEvents {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterEvents.class);

  /** Why an Event was recorded; the Event's reason is the constant's name. */
  public enum Reason {
    PodsCreated(false),
    ScaledDown(false),
    PodReplaced(false),
    PodFailed(true),
    ConfigUpdated(false),
    InvalidSpec(true),
    ObjectRejected(true),
    ClusterReady(false),
    Suspended(false),
    IdleSuspended(false),
    Resumed(false),
    AutoscaledUp(false),
    AutoscaledDown(false),
    Decommissioning(false);

    private final boolean warning;

    Reason(boolean warning) {
      this.warning = warning;
    }
  }

  private final KubernetesClient client;

  public ClusterEvents(KubernetesClient client) {
    this.client = client;
  }

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
            .withType(reason.warning ? "Warning" : "Normal")
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
