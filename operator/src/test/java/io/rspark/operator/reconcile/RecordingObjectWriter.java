package io.rspark.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.resources.SpecHash;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An {@link ObjectWriter} that keeps what the steps wrote, in order, as {@code "verb Kind name"},
 * and decides "changed" by the same digest as the real one; nothing is sent anywhere.
 */
final class RecordingObjectWriter implements ObjectWriter {
  static final String CREATED_SECRET_UID = "created-secret-uid";

  final List<String> writes = new ArrayList<>();
  private RuntimeException failure;

  /** Every later write throws {@code e}, as the API server refusing it. */
  void failWith(RuntimeException e) {
    failure = e;
  }

  @Override
  public String ensureAuthSecret(ClusterModel model, Optional<Secret> existing) {
    if (existing.isPresent()) {
      return existing.get().getMetadata().getUid();
    }
    write("create Secret " + model.name() + "-spark-auth");
    return CREATED_SECRET_UID;
  }

  @Override
  public <T extends HasMetadata> boolean applyIfChanged(T desired, Optional<T> existing) {
    if (SpecHash.stampAndMatch(desired, existing)) {
      return false;
    }
    write("apply " + desired.getKind() + " " + desired.getMetadata().getName());
    return existing.isPresent();
  }

  @Override
  public void create(Pod pod, RSparkCluster cluster) {
    write("create Pod " + pod.getMetadata().getName());
  }

  @Override
  public void annotate(Pod pod, String key, String value) {
    write("annotate Pod " + pod.getMetadata().getName() + " " + key);
  }

  @Override
  public void delete(Pod pod) {
    write("delete Pod " + pod.getMetadata().getName());
  }

  private void write(String what) {
    if (failure != null) {
      throw failure;
    }
    writes.add(what);
  }
}
