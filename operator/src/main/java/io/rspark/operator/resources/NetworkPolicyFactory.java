package io.rspark.operator.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Lets the cluster's pods talk to each other on any port (Spark picks executor and block manager
 * ports at random) and lets nothing else in, except, when spec.access.clientSelector is set, the
 * selected pods of the namespace to the driver's R bridge and UIs. kubectl port-forward still
 * works: it enters through the kubelet, not the pod network.
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
        .withIngress(clientIngress(model))
        .endSpec()
        .build();
  }

  private static List<NetworkPolicyIngressRule> clientIngress(ClusterModel model) {
    var access = model.cluster().getSpec().access;
    if (access == null || access.clientSelector == null) {
      return List.of();
    }
    return List.of(
        new NetworkPolicyIngressRuleBuilder()
            .addNewFrom()
            .withPodSelector(access.clientSelector)
            .endFrom()
            .withPorts(
                Stream.of(
                        PodContract.SPARKLYR_GATEWAY_PORT,
                        PodContract.SPARKR_BACKEND_PORT,
                        PodContract.APP_UI_PORT,
                        PodContract.MASTER_UI_PORT)
                    .map(
                        port ->
                            new NetworkPolicyPortBuilder()
                                .withProtocol("TCP")
                                .withPort(new IntOrString(port))
                                .build())
                    .toList())
            .build());
  }
}
