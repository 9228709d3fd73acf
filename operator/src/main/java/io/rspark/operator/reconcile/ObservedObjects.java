package io.rspark.operator.reconcile;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.pods.ExecutorPods;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A cluster's own objects as the informer caches hold them when a reconcile starts. The operator
 * reads nothing else: a converged cluster costs no request.
 *
 * @param pods the driver and worker pods the operator created
 * @param executors executor pods Spark created from the operator's template (kubernetes scheduler)
 * @param configMaps by name: the Spark configuration and the executor pod template
 */
record ObservedObjects(
    List<Pod> pods,
    List<Pod> executors,
    Optional<Secret> secret,
    Map<String, ConfigMap> configMaps,
    Optional<ServiceAccount> serviceAccount,
    Optional<Role> role,
    Optional<RoleBinding> roleBinding,
    Optional<Service> service,
    Optional<NetworkPolicy> networkPolicy) {

  static ObservedObjects of(Context<RSparkCluster> context) {
    Map<Boolean, List<Pod>> byCreator =
        context.getSecondaryResources(Pod.class).stream()
            .collect(Collectors.partitioningBy(ExecutorPods::isExecutor));
    return new ObservedObjects(
        byCreator.get(false),
        byCreator.get(true),
        context.getSecondaryResource(Secret.class),
        byName(context.getSecondaryResources(ConfigMap.class)),
        context.getSecondaryResource(ServiceAccount.class),
        context.getSecondaryResource(Role.class),
        context.getSecondaryResource(RoleBinding.class),
        context.getSecondaryResource(Service.class),
        context.getSecondaryResource(NetworkPolicy.class));
  }

  /** Only pods: what a cluster whose other objects are not there yet looks like. */
  static ObservedObjects ofPods(List<Pod> pods) {
    return new ObservedObjects(
        pods,
        List.of(),
        Optional.empty(),
        Map.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  Optional<ConfigMap> configMap(String name) {
    return Optional.ofNullable(configMaps.get(name));
  }

  static <T extends HasMetadata> Map<String, T> byName(Collection<T> objects) {
    return objects.stream()
        .collect(Collectors.toMap(o -> o.getMetadata().getName(), Function.identity()));
  }
}
