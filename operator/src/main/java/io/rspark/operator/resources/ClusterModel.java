package io.rspark.operator.resources;

import io.rspark.operator.api.ImagePullPolicy;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.api.RSparkClusterSpec;
import io.rspark.operator.spark.ContainerSizing;
import io.rspark.operator.spark.SparkDefaults;

/**
 * Everything the object factories need, derived once per reconcile from a validated spec and the
 * operator's defaults. A pure value: equal inputs give equal models.
 */
public record ClusterModel(
    RSparkCluster cluster,
    String image,
    ImagePullPolicy imagePullPolicy,
    ContainerSizing driverSizing,
    ContainerSizing workerSizing,
    int workers,
    String masterUrl,
    String sparkDefaultsConf) {

  public static final String LOCAL_MASTER = "local[*]";

  public static ClusterModel of(RSparkCluster cluster, String defaultImage) {
    RSparkClusterSpec spec = cluster.getSpec();
    int workers = spec.workers == null ? 0 : spec.workers.replicas;
    ContainerSizing workerSizing =
        ContainerSizing.of(spec.workers == null ? null : spec.workers.resources);
    String masterUrl =
        workers == 0
            ? LOCAL_MASTER
            : "spark://" + ResourceNames.driverHost(cluster) + ":" + PodContract.MASTER_PORT;
    return new ClusterModel(
        cluster,
        spec.image == null || spec.image.isBlank() ? defaultImage : spec.image,
        spec.imagePullPolicy == null ? ImagePullPolicy.IfNotPresent : spec.imagePullPolicy,
        ContainerSizing.of(spec.driver == null ? null : spec.driver.resources),
        workerSizing,
        workers,
        masterUrl,
        SparkDefaults.render(
            SparkDefaults.merge(masterUrl, workerSizing, workers, spec.sparkConf)));
  }

  public String name() {
    return cluster.getMetadata().getName();
  }

  public String namespace() {
    return cluster.getMetadata().getNamespace();
  }
}
