package io.rspark.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.rspark.operator.api.AccessSpec;
import io.rspark.operator.api.ComputeResources;
import io.rspark.operator.api.ConnectSpec;
import io.rspark.operator.api.ExecutorsSpec;
import io.rspark.operator.api.LocalObjectReference;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.api.Scheduler;
import io.rspark.operator.api.SparkVersion;
import io.rspark.operator.config.OperatorPeer;
import io.rspark.operator.spark.PodContract;
import io.rspark.operator.testing.Golden;
import io.rspark.operator.testing.PodSecurityStandards;
import io.rspark.operator.testing.TestClusters;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every object the operator renders, compared with golden YAML under
 * operator/src/test/resources/golden, so a change in output shows in review.
 */
class ObjectFactoriesGoldenTest {
  private static final String GOLDEN = "operator/src/test/resources/golden/";

  static RSparkCluster analytics(int workers) {
    RSparkCluster c = TestClusters.cluster("analytics", workers);
    c.getMetadata().setNamespace("data-team");
    c.getMetadata().setUid("5f1d3a52-0000-4000-8000-000000000001");
    c.getMetadata().setGeneration(3L);
    c.getSpec().imagePullSecrets = List.of(new LocalObjectReference("regcred"));
    c.getSpec().driver.resources = new ComputeResources("2", "8Gi");
    c.getSpec().workers.resources = new ComputeResources("3500m", "16Gi");
    c.getSpec().workers.resources.cpuLimit = new Quantity("4");
    c.getSpec().sparkConf = Map.of("spark.sql.shuffle.partitions", "64");
    c.getSpec().env =
        List.of(
            new EnvVarBuilder().withName("TZ").withValue("UTC").build(),
            new EnvVarBuilder()
                .withName("DB_PASSWORD")
                .withNewValueFrom()
                .withNewSecretKeyRef("password", "db", false)
                .endValueFrom()
                .build());
    c.getSpec().nodeSelector = Map.of("pool", "spark");
    c.getSpec().tolerations =
        List.of(
            new TolerationBuilder()
                .withKey("dedicated")
                .withOperator("Equal")
                .withValue("spark")
                .withEffect("NoSchedule")
                .build());
    c.getSpec().priorityClassName = "batch-high";
    c.getSpec().podLabels = Map.of("team", "data");
    c.getSpec().podAnnotations = Map.of("prometheus.io/scrape", "false");
    c.getSpec().r.packages = List.of("data.table", "xgboost");
    c.getSpec().r.repos = List.of("https://packagemanager.posit.co/cran/2024-06-01");
    c.getSpec().access = new AccessSpec();
    c.getSpec().access.clientSelector =
        new LabelSelectorBuilder().withMatchLabels(Map.of("rspark.io/client", "analytics")).build();
    return c;
  }

  private static void assertGolden(String file, HasMetadata object) {
    Golden.assertMatches(GOLDEN + file, Serialization.asYaml(object));
  }

  @Test
  void driverPod() {
    Pod pod = PodFactory.driver(ClusterModel.of(analytics(2), "unused"), "secret-uid-1");
    assertGolden("driver-pod.yaml", pod);
  }

  @Test
  void workerPod() {
    Pod pod = PodFactory.worker(ClusterModel.of(analytics(2), "unused"), 1, "secret-uid-1");
    assertGolden("worker-pod.yaml", pod);
  }

  @Test
  void integerQuantitiesRenderAsTheirStringsDo() {
    RSparkCluster integers = analytics(2);
    integers.getSpec().workers.resources =
        Serialization.unmarshal("cpu: 2\nmemory: 4294967296\n", ComputeResources.class);
    RSparkCluster strings = analytics(2);
    strings.getSpec().workers.resources = new ComputeResources("2", "4Gi");
    Pod fromIntegers = PodFactory.worker(ClusterModel.of(integers, "unused"), 1, "u");
    Pod fromStrings = PodFactory.worker(ClusterModel.of(strings, "unused"), 1, "u");

    var container = fromIntegers.getSpec().getContainers().get(0);
    assertThat(container.getResources().getRequests())
        .containsEntry("cpu", new Quantity("2"))
        .containsEntry("memory", new Quantity("4294967296"));
    assertThat(Quantity.getAmountInBytes(container.getResources().getLimits().get("memory")))
        .isEqualByComparingTo(Quantity.getAmountInBytes(new Quantity("4Gi")));
    assertThat(container.getEnv())
        .contains(
            new EnvVar(PodContract.ENV_SPARK_WORKER_CORES, "2", null),
            new EnvVar(PodContract.ENV_SPARK_WORKER_MEMORY, "2457m", null));
    assertThat(fromIntegers.getSpec().getContainers().get(0).getEnv())
        .isEqualTo(fromStrings.getSpec().getContainers().get(0).getEnv());
  }

  @Test
  void singleNodeDriverPodWithOperatorDefaults() {
    RSparkCluster solo = TestClusters.cluster("solo", 0);
    solo.getSpec().image = null;
    solo.getMetadata().setNamespace("data-team");
    solo.getMetadata().setUid("5f1d3a52-0000-4000-8000-000000000002");
    Pod pod =
        PodFactory.driver(ClusterModel.of(solo, "ghcr.io/rspark-io/r-executor:3.5.6-r4"), "u");
    assertGolden("single-node-driver-pod.yaml", pod);
  }

  @Test
  void sparkConfigMap() {
    assertGolden(
        "spark-config.yaml", SparkConfigMapFactory.create(ClusterModel.of(analytics(2), "x")));
  }

  @Test
  void driverService() {
    assertGolden(
        "driver-service.yaml", DriverServiceFactory.create(ClusterModel.of(analytics(2), "x")));
  }

  private static final OperatorPeer OPERATOR =
      new OperatorPeer(Map.of("app.kubernetes.io/name", "rspark-operator"), "rspark-system");

  @Test
  void networkPolicy() {
    assertGolden(
        "network-policy.yaml",
        NetworkPolicyFactory.create(ClusterModel.of(analytics(2), "x"), OPERATOR));
  }

  /** The analytics cluster with spec.connect.enabled; the goldens above are the default (off). */
  static RSparkCluster analyticsWithConnect() {
    RSparkCluster c = analytics(2);
    c.getSpec().connect = new ConnectSpec(true);
    return c;
  }

  @Test
  void sparkConnectOnTheDriverPodServiceAndClientNetworkPolicy() {
    ClusterModel model = ClusterModel.of(analyticsWithConnect(), "x");
    assertGolden("connect-driver-pod.yaml", PodFactory.driver(model, "secret-uid-1"));
    assertGolden("connect-driver-service.yaml", DriverServiceFactory.create(model));
    assertGolden("connect-network-policy.yaml", NetworkPolicyFactory.create(model, OPERATOR));
  }

  @Test
  void sparkConnectIsOffByDefault() {
    ClusterModel model = ClusterModel.of(analytics(2), "x");
    assertThat(model.connect()).isFalse();
    assertThat(Serialization.asYaml(PodFactory.driver(model, "u")))
        .doesNotContain("15002")
        .doesNotContain(PodContract.ENV_CONNECT_PORT);
    assertThat(Serialization.asYaml(DriverServiceFactory.create(model))).doesNotContain("15002");
    assertThat(Serialization.asYaml(NetworkPolicyFactory.create(model, OPERATOR)))
        .doesNotContain("15002");
  }

  @Test
  void clientPodsReachAsManySparklyrBackendPortsAsTheClusterHasSessions() {
    RSparkCluster cluster = analytics(2);
    cluster.getSpec().r.sparklyrSessions = 3;
    var clientRule =
        NetworkPolicyFactory.create(ClusterModel.of(cluster, "x"), OPERATOR)
            .getSpec()
            .getIngress()
            .get(2);
    assertThat(clientRule.getPorts())
        .map(p -> p.getPort().getIntVal())
        .containsExactly(8880, 8881, 8882, 8883, 8890, 4040, 8080);
    assertThat(PodFactory.driver(ClusterModel.of(cluster, "x"), "uid").getSpec().getContainers())
        .flatMap(c -> c.getEnv())
        .contains(new EnvVarBuilder().withName("RSPARK_SPARKLYR_SESSIONS").withValue("3").build());
  }

  @Test
  void networkPolicyWithoutClientAccessStillJoinsTheClusterAndAdmitsTheOperator() {
    RSparkCluster cluster = analytics(2);
    cluster.getSpec().access = null;
    var ingress =
        NetworkPolicyFactory.create(ClusterModel.of(cluster, "x"), OPERATOR).getSpec().getIngress();
    assertThat(ingress).hasSize(2);
    assertThat(ingress.get(0).getFrom().get(0).getPodSelector().getMatchLabels())
        .containsEntry("rspark.io/cluster", "analytics");
    assertThat(ingress.get(0).getPorts()).isEmpty();
    assertThat(ingress.get(1).getFrom().get(0).getNamespaceSelector().getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "rspark-system");
    assertThat(ingress.get(1).getPorts())
        .extracting(p -> p.getPort().getIntVal())
        .containsExactly(8080, 8899, 8081);
  }

  @Test
  void networkPolicyAdmitsOperatorPodsFromAnyNamespaceWhenItsOwnIsUnknown() {
    var rule =
        NetworkPolicyFactory.create(
                ClusterModel.of(analytics(2), "x"),
                new OperatorPeer(Map.of("app.kubernetes.io/name", "rspark-operator"), ""))
            .getSpec()
            .getIngress()
            .get(1);
    assertThat(rule.getFrom().get(0).getNamespaceSelector().getMatchLabels()).isNullOrEmpty();
  }

  @Test
  void authSecretIsRandomHexOfItsOwnAndOnlyMountedAsAFile() {
    ClusterModel model = ClusterModel.of(analytics(2), "x");
    Secret first = AuthSecretFactory.create(model);
    Secret second = AuthSecretFactory.create(model);
    String value =
        new String(
            Base64.getDecoder().decode(first.getData().get(PodContract.AUTH_SECRET_KEY)),
            StandardCharsets.UTF_8);
    assertThat(value).matches("[0-9a-f]{64}");
    assertThat(second.getData()).isNotEqualTo(first.getData());
    assertThat(first.getImmutable()).isTrue();
    first.setData(Map.of(PodContract.AUTH_SECRET_KEY, "<random>"));
    assertGolden("auth-secret.yaml", first);

    for (Pod pod : List.of(PodFactory.driver(model, "u"), PodFactory.worker(model, 0, "u"))) {
      String rendered = Serialization.asYaml(pod);
      assertThat(rendered).doesNotContain(value);
      List<EnvVar> env = pod.getSpec().getContainers().get(0).getEnv();
      assertThat(env)
          .noneMatch(
              e ->
                  e.getValueFrom() != null
                      && e.getValueFrom().getSecretKeyRef() != null
                      && ResourceNames.authSecret(model.cluster())
                          .equals(e.getValueFrom().getSecretKeyRef().getName()));
      assertThat(pod.getSpec().getVolumes())
          .anySatisfy(
              v -> assertThat(v.getSecret().getSecretName()).isEqualTo("analytics-spark-auth"));
    }
    assertThat(model.sparkDefaultsConf()).doesNotContain(value);
  }

  @Test
  void everyPodPassesPodSecurityRestricted() {
    ClusterModel model = ClusterModel.of(analytics(2), "x");
    for (Pod pod :
        List.of(
            PodFactory.driver(model, "u"),
            PodFactory.worker(model, 0, "u"),
            PodFactory.driver(ClusterModel.of(analytics(0), "x"), "u"))) {
      assertThat(PodSecurityStandards.restrictedViolations(pod.getSpec()))
          .as(pod.getMetadata().getName())
          .isEmpty();
      assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
    }
  }

  @Test
  void restrictedCheckCatchesEachKindOfViolation() {
    Pod pod = PodFactory.worker(ClusterModel.of(analytics(1), "x"), 0, "u");
    var spec = pod.getSpec();
    var sc = spec.getContainers().get(0).getSecurityContext();
    sc.setAllowPrivilegeEscalation(true);
    sc.getCapabilities().setDrop(List.of());
    sc.getCapabilities().setAdd(List.of("SYS_ADMIN"));
    sc.setPrivileged(true);
    spec.getSecurityContext().setRunAsNonRoot(false);
    sc.setRunAsNonRoot(null);
    spec.getSecurityContext().getSeccompProfile().setType("Unconfined");
    spec.setHostNetwork(true);
    spec.getVolumes()
        .add(
            new io.fabric8.kubernetes.api.model.VolumeBuilder()
                .withName("host")
                .withNewHostPath()
                .withPath("/")
                .endHostPath()
                .build());
    assertThat(PodSecurityStandards.restrictedViolations(spec))
        .anyMatch(s -> s.contains("allowPrivilegeEscalation"))
        .anyMatch(s -> s.contains("drop ALL"))
        .anyMatch(s -> s.contains("adds capability SYS_ADMIN"))
        .anyMatch(s -> s.contains("privileged"))
        .anyMatch(s -> s.contains("non-root"))
        .anyMatch(s -> s.contains("Unconfined"))
        .anyMatch(s -> s.contains("hostNetwork"))
        .anyMatch(s -> s.contains("hostPath"));
  }

  @Test
  void digestsDoNotDependOnMapOrder() {
    RSparkCluster ab = analytics(1);
    ab.getSpec().podLabels = new java.util.LinkedHashMap<>();
    ab.getSpec().podLabels.put("a", "1");
    ab.getSpec().podLabels.put("b", "2");
    RSparkCluster ba = analytics(1);
    ba.getSpec().podLabels = new java.util.LinkedHashMap<>();
    ba.getSpec().podLabels.put("b", "2");
    ba.getSpec().podLabels.put("a", "1");
    assertThat(SpecHash.carried(PodFactory.worker(ClusterModel.of(ab, "x"), 0, "u")))
        .isEqualTo(SpecHash.carried(PodFactory.worker(ClusterModel.of(ba, "x"), 0, "u")));
  }

  @Test
  void podHashChangesWithPodContentsAndNotOtherwise() {
    String base = SpecHash.carried(PodFactory.worker(ClusterModel.of(analytics(2), "x"), 0, "u"));
    assertThat(SpecHash.carried(PodFactory.worker(ClusterModel.of(analytics(2), "x"), 0, "u")))
        .isEqualTo(base);
    RSparkCluster edited = analytics(2);
    edited.getSpec().image = TestClusters.IMAGE + "-2";
    assertThat(SpecHash.carried(PodFactory.worker(ClusterModel.of(edited, "x"), 0, "u")))
        .isNotEqualTo(base);
    RSparkCluster conf = analytics(2);
    conf.getSpec().sparkConf = Map.of("spark.sql.shuffle.partitions", "128");
    assertThat(SpecHash.carried(PodFactory.worker(ClusterModel.of(conf, "x"), 0, "u")))
        .isNotEqualTo(base);
    assertThat(SpecHash.carried(PodFactory.worker(ClusterModel.of(analytics(2), "x"), 0, "other")))
        .as("a new auth Secret replaces pods")
        .isNotEqualTo(base);
  }

  /** The analytics cluster with Spark's Kubernetes backend creating its executors. */
  static RSparkCluster kubernetesAnalytics() {
    RSparkCluster c = analytics(0);
    c.getSpec().workers.resources = null;
    c.getSpec().scheduler = Scheduler.KUBERNETES;
    c.getSpec().executors = new ExecutorsSpec();
    c.getSpec().executors.minExecutors = 1;
    c.getSpec().executors.maxExecutors = 20;
    c.getSpec().executors.idleTimeout = "5m";
    c.getSpec().executors.resources = new ComputeResources("2", "8Gi");
    c.getSpec().executors.resources.cpuLimit = new Quantity("3");
    return c;
  }

  /** A cluster moved to the Spark 4.2 line, with an image of that line. */
  private static RSparkCluster onSpark42(RSparkCluster c) {
    c.getSpec().sparkVersion = SparkVersion.V4_2;
    c.getSpec().image = "registry.example.com/rspark/r-executor:4.2.0-r4";
    return c;
  }

  /**
   * The same analytics clusters on Spark 4.2: Scala 2.13 in every Spark container's environment
   * and, in standalone mode, the master's REST submission server kept off (spark.SparkLine).
   */
  @Test
  void spark42DriverWorkerSparkDefaultsAndExecutorTemplate() {
    ClusterModel model = ClusterModel.of(onSpark42(analytics(2)), "unused");
    assertGolden("spark-4.2-driver-pod.yaml", PodFactory.driver(model, "secret-uid-1"));
    assertGolden("spark-4.2-worker-pod.yaml", PodFactory.worker(model, 1, "secret-uid-1"));
    assertGolden("spark-4.2-spark-config.yaml", SparkConfigMapFactory.create(model));
    ClusterModel kubernetes = ClusterModel.of(onSpark42(kubernetesAnalytics()), "unused");
    assertGolden(
        "spark-4.2-executor-template-configmap.yaml", ExecutorTemplateFactory.create(kubernetes));
    assertGolden(
        "spark-4.2-kubernetes-spark-config.yaml", SparkConfigMapFactory.create(kubernetes));
  }

  @Test
  void kubernetesSchedulerExecutorPodTemplate() {
    ClusterModel model = ClusterModel.of(kubernetesAnalytics(), "x");
    assertGolden("executor-template-configmap.yaml", ExecutorTemplateFactory.create(model));
    Pod template = PodFactory.executorTemplate(model);
    assertThat(PodSecurityStandards.restrictedViolations(template.getSpec())).isEmpty();
    assertThat(template.getSpec().getAutomountServiceAccountToken()).isFalse();
    assertThat(template.getMetadata().getOwnerReferences())
        .as("Spark makes the driver pod the owner; a second controller would be refused")
        .isEmpty();
    assertThat(template.getMetadata().getLabels())
        .containsEntry(Labels.ROLE, "executor")
        .containsEntry(Labels.CLUSTER, "analytics")
        .containsEntry(Labels.MANAGED_BY, Labels.MANAGER);
    assertThat(template.getSpec().getInitContainers())
        .singleElement()
        .satisfies(c -> assertThat(c.getName()).isEqualTo(PodContract.INSTALL_CONTAINER));
    assertThat(template.getSpec().getVolumes())
        .anySatisfy(
            v -> assertThat(v.getSecret().getSecretName()).isEqualTo("analytics-spark-auth"));
  }

  @Test
  void kubernetesSchedulerDriverPodRbacAndSparkDefaults() {
    ClusterModel model = ClusterModel.of(kubernetesAnalytics(), "x");
    Pod driver = PodFactory.driver(model, "secret-uid-1");
    assertGolden("kubernetes-driver-pod.yaml", driver);
    assertThat(PodSecurityStandards.restrictedViolations(driver.getSpec())).isEmpty();
    assertThat(driver.getSpec().getAutomountServiceAccountToken()).isTrue();
    assertThat(driver.getSpec().getServiceAccountName()).isEqualTo("analytics-driver");
    assertGolden("kubernetes-spark-config.yaml", SparkConfigMapFactory.create(model));
    assertGolden("driver-service-account.yaml", DriverRbacFactory.serviceAccount(model));
    assertGolden("driver-role.yaml", DriverRbacFactory.role(model));
    assertGolden("driver-role-binding.yaml", DriverRbacFactory.roleBinding(model));
    assertThat(model.workers()).isZero();
    assertThat(model.masterUrl()).isEqualTo("k8s://https://kubernetes.default.svc");
  }

  @Test
  void theDriverRoleIsExactlyDriverPermissions() {
    var role = DriverRbacFactory.role(ClusterModel.of(kubernetesAnalytics(), "x"));
    assertThat(role.getRules())
        .extracting(r -> r.getApiGroups() + " " + r.getResources() + " " + r.getVerbs())
        .containsExactly("[] [pods] [create, delete, deletecollection, get, list, watch]");
    assertThat(role.getRules())
        .allSatisfy(
            r -> {
              assertThat(r.getResourceNames()).isEmpty();
              assertThat(r.getVerbs()).doesNotContain("*", "escalate", "bind", "impersonate");
            });
  }

  @Test
  void onlyAKubernetesSchedulerSecretRecordsItsMode() {
    Secret kubernetes = AuthSecretFactory.create(ClusterModel.of(kubernetesAnalytics(), "x"));
    Secret standalone = AuthSecretFactory.create(ClusterModel.of(analytics(2), "x"));
    assertThat(AuthSecretFactory.createdWith(kubernetes)).isEqualTo(Scheduler.KUBERNETES);
    assertThat(AuthSecretFactory.createdWith(standalone)).isEqualTo(Scheduler.STANDALONE);
    assertThat(standalone.getMetadata().getAnnotations()).isNullOrEmpty();
  }
}
