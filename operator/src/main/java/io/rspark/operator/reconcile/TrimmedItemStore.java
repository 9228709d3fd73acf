package io.rspark.operator.reconcile;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.function.UnaryOperator;

/**
 * An informer cache that keeps of each owned object only what the reconciler reads: its metadata
 * (names, labels, digest annotations, owner references, deletion timestamp; not the managed fields)
 * and, for pods, the status. Pod specs and managed fields were most of the operator's heap
 * (docs/benchmarks.md), and the auth Secret's value has no business in the operator's memory.
 */
final class TrimmedItemStore<T extends HasMetadata> extends BasicItemStore<T> {
  private final UnaryOperator<T> trim;

  private TrimmedItemStore(UnaryOperator<T> trim) {
    super(Cache::metaNamespaceKeyFunc);
    this.trim = trim;
  }

  @Override
  public T put(String key, T obj) {
    return super.put(key, trim.apply(obj));
  }

  /** The store for {@code kind}, one of {@link OwnedInformers#OWNED_KINDS}. */
  @SuppressWarnings("unchecked")
  static <T extends HasMetadata> TrimmedItemStore<T> forKind(Class<T> kind) {
    UnaryOperator<HasMetadata> trim;
    if (kind == Pod.class) {
      trim = o -> new PodBuilder().withMetadata(meta(o)).withStatus(((Pod) o).getStatus()).build();
    } else if (kind == Secret.class) {
      trim =
          o -> new SecretBuilder().withMetadata(meta(o)).withType(((Secret) o).getType()).build();
    } else if (kind == Service.class) {
      trim = o -> new ServiceBuilder().withMetadata(meta(o)).build();
    } else if (kind == NetworkPolicy.class) {
      trim = o -> new NetworkPolicyBuilder().withMetadata(meta(o)).build();
    } else if (kind == io.fabric8.kubernetes.api.model.ConfigMap.class) {
      trim = o -> new ConfigMapBuilder().withMetadata(meta(o)).build();
    } else if (kind == ServiceAccount.class) {
      trim = o -> new ServiceAccountBuilder().withMetadata(meta(o)).build();
    } else if (kind == Role.class) {
      trim = o -> new RoleBuilder().withMetadata(meta(o)).build();
    } else if (kind == RoleBinding.class) {
      trim = o -> new RoleBindingBuilder().withMetadata(meta(o)).build();
    } else {
      throw new IllegalArgumentException("No trimming defined for " + kind.getName());
    }
    return new TrimmedItemStore<>((UnaryOperator<T>) (UnaryOperator<?>) trim);
  }

  private static ObjectMeta meta(HasMetadata object) {
    return new ObjectMetaBuilder(object.getMetadata()).withManagedFields().build();
  }
}
