package io.rspark.operator.chart;

import static io.rspark.operator.testing.HelmChart.ofKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.rspark.operator.OperatorAssembly;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.api.Scheduler;
import io.rspark.operator.config.OperatorConfig;
import io.rspark.operator.pods.PodState;
import io.rspark.operator.resources.DriverPermissions;
import io.rspark.operator.resources.Labels;
import io.rspark.operator.runtime.LeaseRelease;
import io.rspark.operator.status.Conditions;
import io.rspark.operator.testing.ApiCallLog;
import io.rspark.operator.testing.ApiCallLog.Call;
import io.rspark.operator.testing.HelmChart;
import io.rspark.operator.testing.KubeApiKit;
import io.rspark.operator.testing.RbacGrants;
import io.rspark.operator.testing.RbacGrants.Grant;
import io.rspark.operator.testing.TestClusters;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC for one named watch namespace, applied to the real API server (which enforces
 * RBAC), and the operator running under it with a ServiceAccount token and the chart's own
 * configuration: it leads, reconciles a cluster to Ready, scales it down and records Events, so the
 * rights are enough; every right is used, so there are none to spare; and the account can read no
 * Secret outside the watched namespace.
 */
class ChartRbacIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /**
   * Rights the scenario cannot reach: the operator reads a Secret back only when its create meets
   * one that its cache has not seen yet (a race).
   */
  private static final Set<Grant> RARELY_USED = Set.of(new Grant("", "secrets", "", "get"));

  /**
   * Rights the operator holds only to grant them to a scheduler: kubernetes driver's Role (the API
   * server refuses to let it grant more than it holds); Spark, not the operator, uses them.
   */
  private static final Set<Grant> HELD_FOR_DRIVERS =
      DriverPermissions.GRANTS.stream()
          .flatMap(g -> g.verbs().stream().map(v -> new Grant("", g.resource(), "", v)))
          .filter(g -> !Set.of("create", "delete", "list", "watch", "patch").contains(g.verb()))
          .collect(Collectors.toSet());

  @Test
  void theChartsRbacIsEnoughForTheOperatorAndNothingIsSpare() throws Exception {
    KubeApiKit kit = KubeApiKit.get();
    try (KubernetesClient admin = kit.newClient()) {
      String release = kit.newNamespace(admin, "chart-release");
      String watched = kit.newNamespace(admin, "chart-watched");
      String other = kit.newNamespace(admin, "chart-other");
      List<HasMetadata> objects =
          HelmChart.render(release, Map.of("watchNamespaces", List.of(watched)));
      objects.stream()
          .filter(o -> o instanceof ServiceAccount || o instanceof Role || o instanceof RoleBinding)
          .forEach(o -> admin.resource(o).create());
      String serviceAccount =
          ofKind(objects, ServiceAccount.class).findFirst().orElseThrow().getMetadata().getName();
      Config asOperator = kit.serviceAccountConfig(admin, release, serviceAccount);

      Map<String, String> env = new HashMap<>(ChartTest.env(deployment(objects)));
      env.put("POD_NAMESPACE", release);
      env.put("HOSTNAME", "rspark-operator-0");
      env.put(OperatorConfig.DECOMMISSION_TIMEOUT.envName(), "PT1S");
      OperatorConfig config = new OperatorConfig(Map.of(), env);
      ApiCallLog log = new ApiCallLog();
      try (KubernetesClient client =
          new KubernetesClientBuilder()
              .withConfig(asOperator)
              .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("rbac-log", log))
              .build()) {
        Operator operator =
            OperatorAssembly.build(config, client, new Metrics() {}, Clock.systemUTC());
        try {
          operator.start();
          await()
              .atMost(TIMEOUT)
              .until(() -> leaseHolder(admin, release), "rspark-operator-0"::equals);

          reconcileToReadyAndScaleDown(admin, watched);
          createAKubernetesSchedulerCluster(admin, watched);
        } finally {
          operator.stop();
        }
        // As OperatorMain does at stop, with a client of its own (so not in the log): true means
        // the Lease's update was allowed.
        String lease = config.get(OperatorConfig.LEADER_ELECTION_LEASE);
        assertThat(
                LeaseRelease.release(
                    asOperator, release, lease, "rspark-operator-0", Duration.ofSeconds(5)))
            .as("the operator may free its Lease at stop")
            .isTrue();
        log.record(
            "PUT",
            URI.create(
                kit.config().getMasterUrl()
                    + "apis/coordination.k8s.io/v1/namespaces/"
                    + release
                    + "/leases/"
                    + lease));

        assertNoSecretAccessOutside(client, watched, other, release);
      }

      assertThat(log.answers())
          .as("requests the API server refused, but the test's own Secret lists")
          .filteredOn(a -> !a.uri().endsWith("/secrets"))
          .noneMatch(a -> a.status() == 401 || a.status() == 403);
      assertEveryRightIsUsed(objects, watched, release, log.calls());
    }
  }

  private static void reconcileToReadyAndScaleDown(KubernetesClient admin, String namespace) {
    RSparkCluster cluster = TestClusters.cluster("rbac", 2);
    cluster.getMetadata().setNamespace(namespace);
    admin.resource(cluster).create();
    await().atMost(TIMEOUT).until(() -> pods(admin, namespace).size() == 3);
    pods(admin, namespace).forEach(p -> markReady(admin, p));
    await().atMost(TIMEOUT).until(() -> isReady(admin, namespace, 3));

    admin
        .resources(RSparkCluster.class)
        .inNamespace(namespace)
        .withName("rbac")
        .edit(
            c -> {
              c.getSpec().workers.replicas = 1;
              return c;
            });
    await().atMost(TIMEOUT).until(() -> pods(admin, namespace).size() == 2);
    await().atMost(TIMEOUT).until(() -> isReady(admin, namespace, 2));
    assertThat(admin.v1().events().inNamespace(namespace).list().getItems())
        .extracting(e -> e.getReason())
        .contains("PodsCreated", "ClusterReady", "Decommissioning", "ScaledDown");
    assertThat(admin.secrets().inNamespace(namespace).withName("rbac-spark-auth").get())
        .isNotNull();
    assertThat(admin.network().v1().networkPolicies().inNamespace(namespace).list().getItems())
        .hasSize(1);
  }

  /**
   * A scheduler: kubernetes cluster: the operator may create the driver's ServiceAccount, Role and
   * RoleBinding, so the chart lets it hold what the Role grants.
   */
  private static void createAKubernetesSchedulerCluster(KubernetesClient admin, String namespace) {
    RSparkCluster cluster = TestClusters.cluster("k8s", 0);
    cluster.getSpec().scheduler = Scheduler.KUBERNETES;
    cluster.getMetadata().setNamespace(namespace);
    admin.resource(cluster).create();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(
                      admin
                          .rbac()
                          .roleBindings()
                          .inNamespace(namespace)
                          .withName("k8s-driver")
                          .get())
                  .isNotNull();
              assertThat(admin.pods().inNamespace(namespace).withName("k8s-driver").get())
                  .isNotNull();
            });
  }

  private static void assertNoSecretAccessOutside(
      KubernetesClient asOperator, String watched, String other, String release) {
    for (String namespace : List.of(other, release)) {
      for (String verb : List.of("get", "list", "watch")) {
        assertThat(canI(asOperator, namespace, verb))
            .as("%s secrets in %s", verb, namespace)
            .isFalse();
      }
      assertThatThrownBy(() -> asOperator.secrets().inNamespace(namespace).list())
          .isInstanceOf(KubernetesClientException.class)
          .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
    }
    assertThat(canI(asOperator, "", "list")).as("list secrets cluster-wide").isFalse();
    assertThat(canI(asOperator, watched, "list")).as("the check can say yes").isTrue();
  }

  private static boolean canI(KubernetesClient client, String namespace, String verb) {
    SelfSubjectAccessReview review =
        new SelfSubjectAccessReviewBuilder()
            .withNewSpec()
            .withNewResourceAttributes()
            .withNamespace(namespace)
            .withVerb(verb)
            .withResource("secrets")
            .endResourceAttributes()
            .endSpec()
            .build();
    return client.resource(review).create().getStatus().getAllowed();
  }

  /**
   * Each call was allowed by a grant of the Role of its namespace, and each grant allowed some call
   * (but {@link #RARELY_USED}).
   */
  private static void assertEveryRightIsUsed(
      List<HasMetadata> objects, String watched, String release, List<Call> calls) {
    Map<String, Set<Grant>> granted =
        ofKind(objects, Role.class)
            .collect(
                Collectors.groupingBy(
                    r -> r.getMetadata().getNamespace(),
                    Collectors.flatMapping(
                        r -> RbacGrants.of(r.getRules()).stream(),
                        Collectors.toCollection(TreeSet::new))));
    assertThat(granted).containsOnlyKeys(watched, release);
    Set<Grant> used = new HashSet<>();
    Set<String> ungranted = new TreeSet<>();
    for (Call call : calls) {
      if (call.apiGroup().equals("authorization.k8s.io")) {
        continue; // the test's own access reviews
      }
      call.allowedBy(granted.getOrDefault(call.namespace(), Set.of()))
          .ifPresentOrElse(used::add, () -> ungranted.add(call.namespace() + ": " + call));
    }
    assertThat(ungranted)
        .as("calls no grant allows")
        .containsOnly(forbiddenSecretLists(watched, release, calls));
    for (Map.Entry<String, Set<Grant>> role : granted.entrySet()) {
      Set<Grant> unused = new TreeSet<>(role.getValue());
      unused.removeAll(used);
      unused.removeAll(RARELY_USED);
      unused.removeAll(HELD_FOR_DRIVERS);
      assertThat(unused).as("rights in %s that the operator never used", role.getKey()).isEmpty();
    }
  }

  /** The forbidden Secret lists of {@link #assertNoSecretAccessOutside}, the only refused calls. */
  private static String[] forbiddenSecretLists(String watched, String release, List<Call> calls) {
    return calls.stream()
        .filter(c -> c.resource().equals("secrets") && c.verb().equals("list"))
        .filter(c -> !c.namespace().equals(watched))
        .map(c -> c.namespace() + ": " + c)
        .toArray(String[]::new);
  }

  private static Deployment deployment(List<HasMetadata> objects) {
    return ChartTest.deployment(objects);
  }

  private static List<Pod> pods(KubernetesClient admin, String namespace) {
    return admin.pods().inNamespace(namespace).withLabel(Labels.CLUSTER, "rbac").list().getItems();
  }

  private static void markReady(KubernetesClient admin, Pod pod) {
    if (PodState.isReady(pod)) {
      return;
    }
    pod.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
            .withPhase("Running")
            // TEST-NET-1: nothing answers there, so the decommission request of the scale-down
            // fails and the worker goes at the (shortened) decommission timeout.
            .withPodIP("192.0.2." + (1 + Math.abs(pod.getMetadata().getName().hashCode() % 200)))
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .build());
    admin.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).updateStatus();
  }

  private static boolean isReady(KubernetesClient admin, String namespace, int pods) {
    RSparkCluster c =
        admin.resources(RSparkCluster.class).inNamespace(namespace).withName("rbac").get();
    return c.getStatus() != null
        && Conditions.isTrue(c.getStatus().conditions, Conditions.READY)
        && pods(admin, namespace).size() == pods;
  }

  private static String leaseHolder(KubernetesClient admin, String namespace) {
    Lease lease = admin.leases().inNamespace(namespace).withName("rspark-operator-leader").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }
}
