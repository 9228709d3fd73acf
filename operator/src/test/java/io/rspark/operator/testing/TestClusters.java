package io.rspark.operator.testing;

import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.api.SparkVersion;
import io.rspark.operator.api.WorkersSpec;

/** RSparkCluster objects for tests. */
public final class TestClusters {
  public static final String IMAGE = "registry.example.com/rspark/r-executor:3.5.6";

  private TestClusters() {}

  public static RSparkCluster cluster(String name, int workers) {
    RSparkCluster c = new RSparkCluster();
    c.getMetadata().setName(name);
    c.getSpec().image = IMAGE;
    c.getSpec().sparkVersion = SparkVersion.V3_5;
    c.getSpec().workers = new WorkersSpec();
    c.getSpec().workers.replicas = workers;
    return c;
  }
}
