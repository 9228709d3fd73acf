package io.rspark.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Spark Connect on the driver's shared application (docs/r-users.md, docs/python-users.md). */
public class ConnectSpec {
  @JsonPropertyDescription(
      "Serve Spark Connect (gRPC, port 15002) from the driver's shared Spark application, for"
          + " PySpark, sparklyr through pysparklyr and other Spark Connect clients. Every call must"
          + " carry the cluster's token (its Spark authentication secret, from the Secret"
          + " <name>-spark-auth; `kubectl rspark connect` prints a ready URL). Default false: on"
          + " Spark 3.5 the server listens on every interface of the driver pod and speaks"
          + " plaintext, so it is opened only where asked for; and turning it on changes the driver"
          + " pod, which replaces it (ending attached R sessions).")
  public boolean enabled;

  public ConnectSpec() {}

  public ConnectSpec(boolean enabled) {
    this.enabled = enabled;
  }
}
