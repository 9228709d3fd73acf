package io.rspark.operator.runtime;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.config.OperatorConfig;
import io.rspark.operator.reconcile.OwnedInformers;
import io.rspark.operator.resources.DriverPermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every Kubernetes API right the operator uses, with the call that needs it. The Helm chart's RBAC
 * is tested against this list (no more, no less), and an IT runs the operator under exactly these
 * rights.
 */
public final class OperatorPermissions {
  /** Where a right is needed. */
  public enum Scope {
    /** In each watched namespace, or cluster-wide when the operator watches all namespaces. */
    WATCHED_NAMESPACES,
    /** In the namespace of the leader-election Lease. */
    LEASE_NAMESPACE,
    /** Cluster-wide, and only with {@code rspark.install-crds=true} (development). */
    CLUSTER
  }

  /**
   * Verbs on one resource of an API group ({@code ""} is the core group); {@code resourceName},
   * when present, limits them to one object.
   */
  public record Rule(
      Scope scope,
      String apiGroup,
      String resource,
      Optional<String> resourceName,
      Set<String> verbs,
      String why) {
    public Rule {
      // Sorted, so that rules print and compare in one order.
      verbs = Collections.unmodifiableSortedSet(new TreeSet<>(verbs));
    }
  }

  /**
   * What the reconciler writes, per owned kind (ObjectWriter): Secrets are created once and read
   * back only when a create meets one the cache has not seen yet; pods are created, deleted and,
   * when a worker's decommission starts, annotated by a merge patch; the other kinds are written by
   * server-side apply, which is a PATCH that the API server also authorises as a create when the
   * object does not exist yet.
   */
  private static final Map<Class<? extends HasMetadata>, List<String>> WRITES =
      Map.of(
          Pod.class, List.of("create", "delete", "patch"),
          Secret.class, List.of("create", "get"),
          ConfigMap.class, List.of("create", "patch"),
          Service.class, List.of("create", "patch"),
          NetworkPolicy.class, List.of("create", "patch"),
          ServiceAccount.class, List.of("create", "patch"),
          Role.class, List.of("create", "patch"),
          RoleBinding.class, List.of("create", "patch"));

  private OperatorPermissions() {}

  /** The rights of an operator configured by {@code config}. */
  public static List<Rule> required(OperatorConfig config) {
    List<Rule> rules = new ArrayList<>(reconcilerRules());
    String lease = config.get(OperatorConfig.LEADER_ELECTION_LEASE);
    if (config.get(OperatorConfig.LEADER_ELECTION)) {
      // fabric8's LeaseLock reads the Lease, creates it the first time and renews it with a PATCH;
      // LeaseRelease frees it at stop with an update (a PUT).
      rules.add(
          new Rule(
              Scope.LEASE_NAMESPACE,
              "coordination.k8s.io",
              "leases",
              Optional.empty(),
              Set.of("create"),
              "leader election: the first replica creates the Lease"));
      rules.add(
          new Rule(
              Scope.LEASE_NAMESPACE,
              "coordination.k8s.io",
              "leases",
              Optional.of(lease),
              Set.of("get", "patch", "update"),
              "leader election: read, renew and, at stop, release the Lease"));
    }
    if (config.get(OperatorConfig.INSTALL_CRDS)) {
      rules.add(
          new Rule(
              Scope.CLUSTER,
              "apiextensions.k8s.io",
              "customresourcedefinitions",
              Optional.empty(),
              Set.of("create", "get", "list", "update", "watch"),
              "rspark.install-crds: create or update the CRD, then wait until it is established"));
    }
    return List.copyOf(rules);
  }

  /** The rights on RSparkClusters and on the kinds the operator owns. */
  static List<Rule> reconcilerRules() {
    List<Rule> rules = new ArrayList<>();
    rules.add(
        new Rule(
            Scope.WATCHED_NAMESPACES,
            RSparkCluster.GROUP,
            HasMetadata.getPlural(RSparkCluster.class),
            Optional.empty(),
            Set.of("list", "watch"),
            "the controller's informer"));
    rules.add(
        new Rule(
            Scope.WATCHED_NAMESPACES,
            RSparkCluster.GROUP,
            HasMetadata.getPlural(RSparkCluster.class) + "/status",
            Optional.empty(),
            Set.of("patch"),
            "status written by server-side apply"));
    for (Class<? extends HasMetadata> kind : OwnedInformers.OWNED_KINDS) {
      List<String> writes = WRITES.get(kind);
      if (writes == null) {
        throw new IllegalStateException(
            "OperatorPermissions does not say how the operator writes "
                + kind.getSimpleName()
                + ", an owned kind");
      }
      Set<String> verbs = new TreeSet<>(writes);
      verbs.addAll(List.of("list", "watch"));
      // The API server lets the operator grant a driver's Role only rights it holds itself.
      if (HasMetadata.getGroup(kind).isEmpty()) {
        verbs.addAll(DriverPermissions.verbs(HasMetadata.getPlural(kind)));
      }
      rules.add(
          new Rule(
              Scope.WATCHED_NAMESPACES,
              HasMetadata.getGroup(kind),
              HasMetadata.getPlural(kind),
              Optional.empty(),
              verbs,
              "owned " + kind.getSimpleName() + ": informer (label-filtered) and writes"));
    }
    for (DriverPermissions.Grant grant : DriverPermissions.GRANTS) {
      boolean held =
          rules.stream()
              .anyMatch(r -> r.apiGroup().isEmpty() && r.resource().equals(grant.resource()));
      if (!held) {
        throw new IllegalStateException(
            "A driver's Role grants rights on "
                + grant.resource()
                + ", which the operator does not hold: the API server would refuse the Role");
      }
    }
    rules.add(
        new Rule(
            Scope.WATCHED_NAMESPACES,
            "",
            "events",
            Optional.empty(),
            Set.of("create"),
            "Events about clusters (ClusterEvents)"));
    return rules;
  }
}
