package io.rspark.operator.reconcile;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.pods.PodPlan;
import io.rspark.operator.pods.PodPlan.Cause;
import io.rspark.operator.reconcile.ClusterEvents.Reason;
import io.rspark.operator.resources.AuthSecretFactory;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.resources.Labels;
import io.rspark.operator.resources.SpecHash;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only place the reconciler writes to the API server. Objects are written when their rendering
 * changed (server-side apply, the operator's field manager); names are fixed, so a create racing a
 * stale cache meets "already exists" instead of making a duplicate.
 */
final class ObjectWriter {
  private static final Logger LOG = LoggerFactory.getLogger(ObjectWriter.class);

  private final KubernetesClient client;

  ObjectWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Creates the auth Secret once; returns its uid. An existing Secret is never rewritten, and one
   * this cluster does not control is never used: its value would be someone else's.
   */
  String ensureAuthSecret(ClusterModel model, Optional<Secret> existing) {
    if (existing.isPresent()) {
      return existing.get().getMetadata().getUid();
    }
    return createOrFindOwn(AuthSecretFactory.create(model), model.cluster()).getMetadata().getUid();
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

  /**
   * Applies {@code desired} when the existing object is missing or carries another digest; true
   * when an existing object was rewritten.
   */
  <T extends HasMetadata> boolean applyIfChanged(T desired, Optional<T> existing) {
    SpecHash.stamp(desired);
    if (existing.isPresent()
        && SpecHash.carried(desired).equals(SpecHash.carried(existing.get()))) {
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

  void carryOut(PodPlan plan, RSparkCluster cluster, ClusterEvents events, Instant now) {
    for (Cause cause : Cause.values()) {
      List<Pod> pods =
          plan.deletions().stream().filter(d -> d.cause() == cause).map(d -> d.pod()).toList();
      if (pods.isEmpty()) {
        continue;
      }
      pods.forEach(this::delete);
      String names = names(pods);
      switch (cause) {
        case SCALE_DOWN -> events.record(cluster, Reason.ScaledDown, "deleted " + names, now);
        case OUTDATED ->
            events.record(
                cluster, Reason.PodReplaced, "replacing " + names + " with the new spec", now);
        case FAILED ->
            events.record(
                cluster, Reason.PodFailed, names + " ended; recreating after a back-off", now);
      }
    }
    if (!plan.creates().isEmpty()) {
      plan.creates().forEach(pod -> createOrFindOwn(pod, cluster));
      events.record(cluster, Reason.PodsCreated, "created " + names(plan.creates()), now);
    }
  }

  /**
   * Sets one annotation on a pod by a JSON merge patch: nothing else of the pod is touched, and no
   * read is needed (the operator has no right to get pods).
   */
  void annotate(Pod pod, String key, String value) {
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

  void delete(Pod pod) {
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
        .delete();
    LOG.info("Deleted Pod {}", pod.getMetadata().getName());
  }

  private static String names(List<Pod> pods) {
    return String.join(", ", pods.stream().map(p -> p.getMetadata().getName()).toList());
  }
}
