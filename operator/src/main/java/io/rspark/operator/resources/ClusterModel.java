package io.rspark.operator.resources;

import io.rspark.operator.api.ImagePullPolicy;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.api.RSparkClusterSpec;
import io.rspark.operator.api.RSpec;
import io.rspark.operator.spark.ContainerSizing;
import io.rspark.operator.spark.SparkDefaults;
import java.util.List;

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
    String sparkDefaultsConf,
    List<String> rPackages,
    List<String> rRepos,
    String rLibrarySizeLimit,
    boolean clientAccess) {

  public static final String LOCAL_MASTER = "local[*]";
  public static final String DEFAULT_R_LIBRARY_SIZE = "4Gi";

  public static ClusterModel of(RSparkCluster cluster, String defaultImage) {
    RSparkClusterSpec spec = cluster.getSpec();
    return of(cluster, defaultImage, spec.workers == null ? 0 : spec.workers.replicas);
  }

  /** With {@code workers} worker pods instead of spec.workers.replicas (the autoscaler's count). */
  public static ClusterModel of(RSparkCluster cluster, String defaultImage, int workers) {
    RSparkClusterSpec spec = cluster.getSpec();
    RSpec r = spec.r == null ? new RSpec() : spec.r;
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
        SparkDefaults.render(SparkDefaults.merge(masterUrl, workerSizing, workers, spec.sparkConf)),
        r.packages,
        r.repos.isEmpty() ? List.of(RSpec.DEFAULT_REPO) : r.repos,
        r.librarySizeLimit == null ? DEFAULT_R_LIBRARY_SIZE : r.librarySizeLimit,
        spec.access != null && spec.access.clientSelector != null);
  }

  public String name() {
    return cluster.getMetadata().getName();
  }

  public String namespace() {
    return cluster.getMetadata().getNamespace();
  }
}
