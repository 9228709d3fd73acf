package io.rspark.operator.resources;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.util.Map;

/**
 * Lets the cluster's pods talk to each other on any port (Spark picks executor and block manager
 * ports at random) and lets nothing else in. kubectl port-forward still works: it enters through
 * the kubelet, not the pod network.
 */
public final class NetworkPolicyFactory {
  private NetworkPolicyFactory() {}

  public static NetworkPolicy create(ClusterModel model) {
    Map<String, String> clusterPods = Map.of(Labels.CLUSTER, model.name());
    return new NetworkPolicyBuilder()
        .withMetadata(
            Owners.ownedMeta(
                model.cluster(),
                ResourceNames.networkPolicy(model.cluster()),
                Labels.forRole(model.cluster(), Role.CLUSTER)))
        .withNewSpec()
        .withPodSelector(new LabelSelectorBuilder().withMatchLabels(clusterPods).build())
        .withPolicyTypes("Ingress")
        .addNewIngress()
        .addNewFrom()
        .withPodSelector(new LabelSelectorBuilder().withMatchLabels(clusterPods).build())
        .endFrom()
        .endIngress()
        .endSpec()
        .build();
  }
}
