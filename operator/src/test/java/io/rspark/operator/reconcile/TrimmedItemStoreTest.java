package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.rspark.operator.resources.AuthSecretFactory;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.resources.PodFactory;
import io.rspark.operator.resources.SparkConfigMapFactory;
import io.rspark.operator.resources.SpecHash;
import io.rspark.operator.spark.PodContract;
import io.rspark.operator.testing.TestClusters;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrimmedItemStoreTest {
  private final ClusterModel model = model();

  private static ClusterModel model() {
    var cluster = TestClusters.cluster("trim", 1);
    cluster.getMetadata().setNamespace("ns");
    cluster.getMetadata().setUid("uid-1");
    return ClusterModel.of(cluster, "img:1");
  }

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T cached(
      Class<T> kind, T object) {
    TrimmedItemStore<T> store = TrimmedItemStore.forKind(kind);
    store.put(Cache.metaNamespaceKeyFunc(object), object);
    return store.get(Cache.metaNamespaceKeyFunc(object));
  }

  @Test
  void podsKeepWhatTheReconcilerReadsAndDropTheirSpec() {
    Pod pod = PodFactory.worker(model, 0, "secret-uid");
    pod.getMetadata().setDeletionTimestamp("2026-11-25T10:00:00Z");
    pod.getMetadata()
        .setManagedFields(List.of(new ManagedFieldsEntryBuilder().withManager("x").build()));
    pod.setStatus(
        new PodStatusBuilder()
            .withPhase("Running")
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .build());

    Pod trimmed = cached(Pod.class, pod);

    assertThat(trimmed.getSpec()).isNull();
    assertThat(trimmed.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(SpecHash.carried(trimmed)).isEqualTo(SpecHash.carried(pod));
    assertThat(trimmed.getMetadata().getOwnerReferences())
        .isEqualTo(pod.getMetadata().getOwnerReferences());
    assertThat(trimmed.getMetadata().getLabels()).isEqualTo(pod.getMetadata().getLabels());
    assertThat(trimmed.getMetadata().getDeletionTimestamp()).isEqualTo("2026-11-25T10:00:00Z");
    assertThat(trimmed.getStatus()).isEqualTo(pod.getStatus());
    assertThat(pod.getSpec()).as("the informer's own object is not changed").isNotNull();
  }

  @Test
  void theAuthSecretsValueNeverEntersTheCache() {
    Secret secret = AuthSecretFactory.create(model);
    String data = secret.getData().get(PodContract.AUTH_SECRET_KEY);

    Secret trimmed = cached(Secret.class, secret);

    assertThat(trimmed.getData()).isNullOrEmpty();
    assertThat(Serialization.asJson(trimmed)).doesNotContain(data);
    assertThat(trimmed.getMetadata().getName()).isEqualTo(secret.getMetadata().getName());
    assertThat(trimmed.getMetadata().getOwnerReferences()).hasSize(1);
  }

  @Test
  void otherKindsKeepTheirMetadataAndDigest() {
    ConfigMap config = SpecHash.stamp(SparkConfigMapFactory.create(model));
    ConfigMap trimmed = cached(ConfigMap.class, config);
    assertThat(trimmed.getData()).isNullOrEmpty();
    assertThat(SpecHash.carried(trimmed)).isEqualTo(SpecHash.carried(config));
    assertThat(TrimmedItemStore.forKind(Service.class)).isNotNull();
    assertThat(TrimmedItemStore.forKind(NetworkPolicy.class)).isNotNull();
  }
}
