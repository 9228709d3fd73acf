package io.rspark.operator.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.rspark.operator.config.OperatorPeer;
import io.rspark.operator.spark.PodContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Lets the cluster's pods talk to each other on any port (Spark picks executor and block manager
 * ports at random) and lets nothing else in, except, when spec.access.clientSelector is set, the
 * selected pods of the namespace to the driver's R bridge (the sparklyr gateway and its sessions'
 * backend ports, the SparkR backend), Spark Connect when enabled, and UIs, and the operator's own
 * pods to the master UI and the bridge's health server (Spark readings and decommission requests).
 * kubectl port-forward still works: it enters through the kubelet, not the pod network.
 */
public final class NetworkPolicyFactory {
  /** Set by Kubernetes (1.21+) on every namespace: its name. */
  static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  private NetworkPolicyFactory() {}

  public static NetworkPolicy create(ClusterModel model, OperatorPeer operator) {
    Map<String, String> clusterPods = Map.of(Labels.CLUSTER, model.name());
    List<NetworkPolicyIngressRule> ingress = new ArrayList<>();
    ingress.add(
        new NetworkPolicyIngressRuleBuilder()
            .addNewFrom()
            .withPodSelector(new LabelSelectorBuilder().withMatchLabels(clusterPods).build())
            .endFrom()
            .build());
    ingress.add(operatorIngress(operator));
    ingress.addAll(clientIngress(model));
    return new NetworkPolicyBuilder()
        .withMetadata(
            Owners.ownedMeta(
                model.cluster(),
                ResourceNames.networkPolicy(model.cluster()),
                Labels.forRole(model.cluster(), Role.CLUSTER)))
        .withNewSpec()
        .withPodSelector(new LabelSelectorBuilder().withMatchLabels(clusterPods).build())
        .withPolicyTypes("Ingress")
        .withIngress(ingress)
        .endSpec()
        .build();
  }

  private static NetworkPolicyIngressRule operatorIngress(OperatorPeer operator) {
    LabelSelectorBuilder namespaces = new LabelSelectorBuilder();
    if (!operator.namespace().isEmpty()) {
      namespaces.withMatchLabels(Map.of(NAMESPACE_NAME_LABEL, operator.namespace()));
    }
    return new NetworkPolicyIngressRuleBuilder()
        .addNewFrom()
        .withPodSelector(new LabelSelectorBuilder().withMatchLabels(operator.podLabels()).build())
        .withNamespaceSelector(namespaces.build())
        .endFrom()
        .withPorts(
            ports(
                PodContract.MASTER_UI_PORT,
                PodContract.BRIDGE_HEALTH_PORT,
                PodContract.WORKER_UI_PORT))
        .build();
  }

  private static List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort> ports(
      Integer... ports) {
    return Stream.of(ports)
        .map(
            port ->
                new NetworkPolicyPortBuilder()
                    .withProtocol("TCP")
                    .withPort(new IntOrString(port))
                    .build())
        .toList();
  }

  private static List<NetworkPolicyIngressRule> clientIngress(ClusterModel model) {
    var access = model.cluster().getSpec().access;
    if (access == null || access.clientSelector == null) {
      return List.of();
    }
    // One entry per sparklyr backend port: endPort ranges need Kubernetes 1.25.
    List<Integer> clientPorts = new ArrayList<>();
    clientPorts.add(PodContract.SPARKLYR_GATEWAY_PORT);
    clientPorts.addAll(PodContract.sparklyrBackendPorts(model.sparklyrSessions()));
    clientPorts.addAll(
        List.of(
            PodContract.SPARKR_BACKEND_PORT, PodContract.APP_UI_PORT, PodContract.MASTER_UI_PORT));
    if (model.connect()) {
      clientPorts.add(PodContract.CONNECT_PORT);
    }
    return List.of(
        new NetworkPolicyIngressRuleBuilder()
            .addNewFrom()
            .withPodSelector(access.clientSelector)
            .endFrom()
            .withPorts(ports(clientPorts.toArray(Integer[]::new)))
            .build());
  }
}
