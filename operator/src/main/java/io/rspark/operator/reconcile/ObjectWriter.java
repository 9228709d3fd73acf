package io.rspark.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.resources.ClusterModel;
import java.util.Optional;

/**
 * The only way the reconcile steps write to the API server. Objects are written when their
 * rendering changed (server-side apply, the operator's field manager); names are fixed, so a create
 * racing a stale cache meets "already exists" instead of making a duplicate.
 */
interface ObjectWriter {
  /**
   * Creates the auth Secret once; returns its uid. An existing Secret is never rewritten, and one
   * this cluster does not control is never used: its value would be someone else's.
   *
   * @throws NameTakenException when someone else's Secret holds the name
   */
  String ensureAuthSecret(ClusterModel model, Optional<Secret> existing);

  /**
   * Applies {@code desired} when the existing object is missing or carries another digest; true
   * when an existing object was rewritten.
   */
  <T extends HasMetadata> boolean applyIfChanged(T desired, Optional<T> existing);

  /**
   * Creates a pod of {@code cluster}; one the cluster controls under that name already is taken as
   * created.
   *
   * @throws NameTakenException when someone else's pod holds the name
   */
  void create(Pod pod, RSparkCluster cluster);

  /**
   * Sets one annotation on a pod by a JSON merge patch: nothing else of the pod is touched, and no
   * read is needed (the operator has no right to get pods).
   */
  void annotate(Pod pod, String key, String value);

  void delete(Pod pod);
}
