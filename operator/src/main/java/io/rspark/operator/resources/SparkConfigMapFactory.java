package io.rspark.operator.resources;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.rspark.operator.spark.PodContract;
import java.util.Map;

/** The ConfigMap with the cluster's spark-defaults.conf (no secrets in it). */
public final class SparkConfigMapFactory {
  private SparkConfigMapFactory() {}

  public static ConfigMap create(ClusterModel model) {
    return new ConfigMapBuilder()
        .withMetadata(
            Owners.ownedMeta(
                model.cluster(),
                ResourceNames.sparkConfig(model.cluster()),
                Labels.forRole(model.cluster(), Role.CLUSTER)))
        .withData(Map.of(PodContract.SPARK_DEFAULTS_KEY, model.sparkDefaultsConf()))
        .build();
  }
}
