package io.rspark.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * Who may reach the driver's R bridge and Spark UIs over the pod network. By default nobody: users
 * come in through kubectl port-forward, where Kubernetes RBAC is the gate.
 */
public class AccessSpec {
  @JsonPropertyDescription(
      "Pods in this namespace matching this selector may connect to the driver's sparklyr gateway,"
          + " SparkR backend and Spark UIs. A Kubernetes LabelSelector (matchLabels,"
          + " matchExpressions), used as a NetworkPolicy's pod selector (see `kubectl explain"
          + " networkpolicy.spec.podSelector`). The sparklyr gateway has no authentication of its"
          + " own, so select only pods you trust. Unset: port-forward only.")
  public LabelSelector clientSelector;
}
