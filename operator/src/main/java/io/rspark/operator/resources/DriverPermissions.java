package io.rspark.operator.resources;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What Spark's Kubernetes backend (spark-kubernetes 3.5.6) does with the driver's ServiceAccount,
 * in one place: the driver's Role is rendered from it, the operator holds the same rights (the API
 * server refuses to let it grant what it does not hold), and a test runs Spark's own allocator
 * against a real API server as that ServiceAccount. Settings in {@code SparkDefaults} keep the list
 * short: Spark neither owns PVCs, deletes Services nor makes ConfigMaps for its executors.
 */
public final class DriverPermissions {
  /** Verbs on one core-group resource, with the calls in Spark that need them. */
  public record Grant(String resource, Set<String> verbs, String why) {
    public Grant {
      verbs = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(verbs));
    }
  }

  public static final List<Grant> GRANTS =
      List.of(
          new Grant(
              "pods",
              Set.of("create", "delete", "deletecollection", "get", "list", "watch"),
              "ExecutorPodsAllocator reads the driver pod (the executors' owner) and creates,"
                  + " deletes and, at stop, deletes by label its executor pods;"
                  + " ExecutorPodsWatchSnapshotSource and ExecutorPodsPollingSnapshotSource watch"
                  + " and list them"));

  private DriverPermissions() {}

  /** The verbs granted on {@code resource}; empty when it is not granted. */
  public static Set<String> verbs(String resource) {
    return GRANTS.stream()
        .filter(g -> g.resource().equals(resource))
        .findFirst()
        .map(Grant::verbs)
        .orElse(Set.of());
  }
}
