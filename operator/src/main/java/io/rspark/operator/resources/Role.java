package io.rspark.operator.resources;

/** What an object is for; also the first argument of the image's entrypoint for pods. */
public enum Role {
  DRIVER("driver"),
  WORKER("worker"),
  /**
   * Executor pods that Spark's Kubernetes backend creates from the operator's template (scheduler:
   * kubernetes); the operator never creates them.
   */
  EXECUTOR("executor"),
  /** Objects shared by the whole cluster: Secret, ConfigMap, NetworkPolicy. */
  CLUSTER("cluster");

  private final String value;

  Role(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }
}
