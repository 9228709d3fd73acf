package io.rspark.operator.resources;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.rspark.operator.spark.PodContract;
import java.util.Map;

/**
 * The ConfigMap holding the executor pod template ({@link PodFactory#executorTemplate}) that the
 * driver of a {@code scheduler: kubernetes} cluster mounts and Spark reads.
 */
public final class ExecutorTemplateFactory {
  private ExecutorTemplateFactory() {}

  public static ConfigMap create(ClusterModel model) {
    return new ConfigMapBuilder()
        .withMetadata(
            Owners.ownedMeta(
                model.cluster(),
                ResourceNames.executorTemplate(model.cluster()),
                Labels.forRole(model.cluster(), Role.EXECUTOR)))
        .withData(
            Map.of(
                PodContract.EXECUTOR_TEMPLATE_KEY,
                Serialization.asYaml(PodFactory.executorTemplate(model))))
        .build();
  }
}
