package io.rspark.operator.resources;

import io.rspark.operator.api.RSparkCluster;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Labels on everything the operator creates. {@link #MANAGED_SELECTOR} is what the informers filter
 * on, so the operator caches only its own objects.
 */
public final class Labels {
  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String CLUSTER = "rspark.io/cluster";
  public static final String ROLE = "rspark.io/role";

  public static final String APP_NAME = "rspark";
  public static final String MANAGER = "rspark-operator";
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGER;

  private Labels() {}

  /** Labels shared by every object of one cluster. */
  public static Map<String, String> forCluster(RSparkCluster cluster) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, APP_NAME);
    labels.put(INSTANCE, cluster.getMetadata().getName());
    labels.put(PART_OF, APP_NAME);
    labels.put(MANAGED_BY, MANAGER);
    labels.put(CLUSTER, cluster.getMetadata().getName());
    return labels;
  }

  /** Labels of one role's objects (driver, worker, or a shared object such as the config). */
  public static Map<String, String> forRole(RSparkCluster cluster, Role role) {
    Map<String, String> labels = forCluster(cluster);
    labels.put(COMPONENT, role.value());
    labels.put(ROLE, role.value());
    return labels;
  }

  /** The selector of one role's pods. */
  public static Map<String, String> selector(RSparkCluster cluster, Role role) {
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(CLUSTER, cluster.getMetadata().getName());
    selector.put(ROLE, role.value());
    return selector;
  }

  /** The same selector as a string, for status.selector and the scale subresource. */
  public static String selectorString(RSparkCluster cluster, Role role) {
    return CLUSTER + "=" + cluster.getMetadata().getName() + "," + ROLE + "=" + role.value();
  }
}
