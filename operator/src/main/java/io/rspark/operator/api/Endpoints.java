package io.rspark.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** In-cluster addresses of the cluster's services. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Endpoints {
  @JsonPropertyDescription("Spark master URL (spark://...), or local[*] for a single-node cluster.")
  public String master;

  @JsonPropertyDescription("Spark master web UI (absent for a single-node cluster).")
  public String masterUi;

  @JsonPropertyDescription("Spark application UI of the driver's shared session.")
  public String appUi;

  @JsonPropertyDescription(
      "sparklyr gateway of the bridge (reach it with kubectl port-forward; it is not authenticated).")
  public String sparklyr;

  @JsonPropertyDescription(
      "Spark Connect of the driver (sc://...), with spec.connect.enabled. Clients add the cluster's"
          + " token themselves; it is never shown here.")
  public String connect;

  @Override
  public boolean equals(Object o) {
    return o instanceof Endpoints e
        && Objects.equals(master, e.master)
        && Objects.equals(masterUi, e.masterUi)
        && Objects.equals(appUi, e.appUi)
        && Objects.equals(sparklyr, e.sparklyr)
        && Objects.equals(connect, e.connect);
  }

  @Override
  public int hashCode() {
    return Objects.hash(master, masterUi, appUi, sparklyr, connect);
  }
}
