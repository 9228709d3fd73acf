package io.rspark.operator.reconcile;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.resources.AuthSecretFactory;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.resources.Labels;
import io.rspark.operator.resources.SpecHash;
import java.net.HttpURLConnection;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The reconciler's writes, to the API server. */
final class ApiObjectWriter implements ObjectWriter {
  private static final Logger LOG = LoggerFactory.getLogger(ApiObjectWriter.class);

  private final KubernetesClient client;

  ApiObjectWriter(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public String ensureAuthSecret(ClusterModel model, Optional<Secret> existing) {
    if (existing.isPresent()) {
      return existing.get().getMetadata().getUid();
    }
    return createOrFindOwn(AuthSecretFactory.create(model), model.cluster()).getMetadata().getUid();
  }

  @Override
  public void create(Pod pod, RSparkCluster cluster) {
    createOrFindOwn(pod, cluster);
  }

  /**
   * Creates {@code desired}; when its name is taken, returns the existing object if this cluster
   * controls it (the informer had not seen it yet: names are fixed, so no duplicate is made).
   *
   * @throws NameTakenException when someone else's object holds the name
   * @throws KubernetesClientException when the create fails otherwise, or the name was freed again
   *     between the create and the read (no event would say so: JOSDK retries the reconcile)
   */
  private <T extends HasMetadata> T createOrFindOwn(T desired, RSparkCluster cluster) {
    try {
      T created = client.resource(desired).create();
      LOG.info("Created {} {}", desired.getKind(), desired.getMetadata().getName());
      return created;
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      T found = client.resource(desired).get();
      if (found == null) {
        throw e;
      }
      requireControlledBy(cluster, found);
      LOG.debug(
          "{} {} exists already; the cache was behind",
          desired.getKind(),
          desired.getMetadata().getName());
      return found;
    }
  }

  /** Throws {@link NameTakenException} unless {@code found} is controlled by {@code cluster}. */
  private static void requireControlledBy(RSparkCluster cluster, HasMetadata found) {
    boolean ours =
        found.getMetadata().getOwnerReferences().stream()
            .anyMatch(
                r ->
                    Boolean.TRUE.equals(r.getController())
                        && cluster.getMetadata().getUid().equals(r.getUid()));
    if (!ours) {
      throw new NameTakenException(found.getKind(), found.getMetadata().getName());
    }
  }

  @Override
  public <T extends HasMetadata> boolean applyIfChanged(T desired, Optional<T> existing) {
    if (SpecHash.stampAndMatch(desired, existing)) {
      return false;
    }
    client.resource(desired).fieldManager(Labels.MANAGER).forceConflicts().serverSideApply();
    LOG.info(
        "{} {} {}",
        existing.isPresent() ? "Updated" : "Created",
        desired.getKind(),
        desired.getMetadata().getName());
    return existing.isPresent();
  }

  @Override
  public void annotate(Pod pod, String key, String value) {
    Pod patch =
        new PodBuilder()
            .withNewMetadata()
            .withAnnotations(java.util.Map.of(key, value))
            .endMetadata()
            .build();
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            patch);
  }

  @Override
  public void delete(Pod pod) {
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
        .delete();
    LOG.info("Deleted Pod {}", pod.getMetadata().getName());
  }
}
