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
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.pods.ExecutorPods;
import io.rspark.operator.resources.Labels;
import java.util.List;
import java.util.Set;

/**
 * The informers of the objects the operator creates: they watch only objects carrying our label and
 * keep trimmed copies, so the operator caches what it owns and nothing else.
 */
public final class OwnedInformers {
  /** The kinds the operator creates. */
  public static final List<Class<? extends HasMetadata>> OWNED_KINDS =
      List.of(
          Pod.class,
          Secret.class,
          ConfigMap.class,
          Service.class,
          NetworkPolicy.class,
          ServiceAccount.class,
          Role.class,
          RoleBinding.class);

  private static final SecondaryToPrimaryMapper<HasMetadata> OWNER_REFERENCES =
      Mappers.fromOwnerReferences(RSparkCluster.class, false);

  private OwnedInformers() {}

  static List<EventSource<?, RSparkCluster>> of(EventSourceContext<RSparkCluster> context) {
    return OWNED_KINDS.stream()
        .<EventSource<?, RSparkCluster>>map(kind -> informer(kind, context))
        .toList();
  }

  private static <R extends HasMetadata> InformerEventSource<R, RSparkCluster> informer(
      Class<R> kind, EventSourceContext<RSparkCluster> context) {
    var config =
        InformerEventSourceConfiguration.from(kind, RSparkCluster.class)
            .withLabelSelector(Labels.MANAGED_SELECTOR)
            .withItemStore(TrimmedItemStore.forKind(kind))
            .withNamespacesInheritedFromController();
    if (kind == Pod.class) {
      config.withSecondaryToPrimaryMapper(OwnedInformers::podOwner);
    }
    return new InformerEventSource<>(config.build(), context);
  }

  /**
   * The cluster of a pod: its controller for the pods the operator creates; for executor pods,
   * which Spark creates owned by the driver pod, the cluster label the template gave them.
   */
  static Set<ResourceID> podOwner(HasMetadata pod) {
    Set<ResourceID> owners = OWNER_REFERENCES.toPrimaryResourceIDs(pod);
    if (!owners.isEmpty() || !(pod instanceof Pod p) || !ExecutorPods.isExecutor(p)) {
      return owners;
    }
    return Set.of(
        new ResourceID(
            p.getMetadata().getLabels().get(Labels.CLUSTER), p.getMetadata().getNamespace()));
  }
}
