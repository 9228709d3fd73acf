package io.rspark.operator.chart;

import static io.rspark.operator.testing.HelmChart.ofKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.rspark.operator.config.ConfigOption;
import io.rspark.operator.config.OperatorConfig;
import io.rspark.operator.runtime.OperatorPermissions;
import io.rspark.operator.runtime.OperatorPermissions.Scope;
import io.rspark.operator.testing.HelmChart;
import io.rspark.operator.testing.PodSecurityStandards;
import io.rspark.operator.testing.RbacGrants;
import io.rspark.operator.testing.RbacGrants.Grant;
import io.rspark.operator.testing.RepoPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart through a real Helm engine: strict lint, rendering with the values platform teams use,
 * and what the rendered manifests must hold (restricted pods, the operator's own configuration,
 * RBAC that is exactly {@link OperatorPermissions}, no Secret access beyond named namespaces).
 */
class ChartTest {
  private static final String NS = "rspark-system";
  private static final Set<String> CHART_ENV = Set.of("POD_NAMESPACE", "JAVA_TOOL_OPTIONS");

  /** Every values file of the chart's ci/ (chart-testing's convention) and the defaults. */
  static Stream<Path> valueSets() throws IOException {
    try (Stream<Path> files = Files.list(HelmChart.dir().resolve("ci"))) {
      List<Path> ci = files.filter(p -> p.toString().endsWith("-values.yaml")).sorted().toList();
      assertThat(ci).hasSizeGreaterThanOrEqualTo(4);
      return Stream.concat(Stream.of(HelmChart.dir().resolve("values.yaml")), ci.stream());
    }
  }

  static Stream<Path> badValues() throws IOException {
    try (Stream<Path> files =
        Files.list(RepoPaths.root().resolve("operator/src/test/resources/chart/bad-values"))) {
      return files.sorted().toList().stream();
    }
  }

  @Test
  void strictLintFindsNothingToWarnAbout() {
    LintResult result = HelmChart.lintStrict();

    assertThat(result.isFailed()).as("lint: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages())
        .as("helm lint --strict reports only INFO")
        .allMatch(m -> m.startsWith("[INFO]"));
  }

  @Test
  void chartCrdsAreByteForByteTheGeneratedOnes() throws IOException {
    Path generated = RepoPaths.root().resolve("crds");
    Path chart = HelmChart.dir().resolve("crds");
    List<String> names;
    try (Stream<Path> files = Files.list(generated)) {
      names = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    if (Boolean.getBoolean("golden.update")) {
      for (String name : names) {
        Files.copy(
            generated.resolve(name),
            chart.resolve(name),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    try (Stream<Path> files = Files.list(chart)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .as("the chart's crds/ holds the files of crds/")
          .isEqualTo(names)
          .isNotEmpty();
    }
    for (String name : names) {
      assertThat(Files.mismatch(generated.resolve(name), chart.resolve(name)))
          .as(
              "charts/rspark-operator/crds/%s differs from crds/%s (copy it, or run with"
                  + " -Dgolden.update=true)",
              name, name)
          .isEqualTo(-1L);
    }
  }

  @Test
  void defaultsInstallOneOperatorWatchingAllNamespaces() {
    List<HasMetadata> objects = HelmChart.render(NS, Map.of());

    assertThat(objects)
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "ServiceAccount/rspark-operator",
            "ClusterRole/rspark-operator",
            "ClusterRoleBinding/rspark-operator",
            "Role/rspark-operator-leader-election",
            "RoleBinding/rspark-operator-leader-election",
            "Service/rspark-operator-metrics",
            "Deployment/rspark-operator");
    assertThat(objects)
        .filteredOn(o -> !(o instanceof ClusterRole || o instanceof ClusterRoleBinding))
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(NS));
    Deployment deployment = deployment(objects);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getTemplate().getSpec().getAffinity()).isNull();
    assertThat(container(deployment).getImage())
        .isEqualTo("ghcr.io/rspark-io/rspark-operator:0.1.0");
    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(
            ofKind(objects, ServiceAccount.class)
                .findFirst()
                .orElseThrow()
                .getMetadata()
                .getName());
    assertThat(env(deployment)).containsEntry("RSPARK_WATCH_NAMESPACES", "");
  }

  @ParameterizedTest
  @MethodSource("valueSets")
  void everyPodSpecMeetsRestrictedPodSecurity(Path values) {
    List<HasMetadata> objects = HelmChart.parse(HelmChart.template(NS, values));
    List<Deployment> deployments = ofKind(objects, Deployment.class).toList();

    assertThat(deployments).hasSize(1);
    PodSpec pod = deployments.get(0).getSpec().getTemplate().getSpec();
    assertThat(PodSecurityStandards.restrictedViolations(pod)).isEmpty();
    assertThat(container(deployments.get(0)).getSecurityContext().getReadOnlyRootFilesystem())
        .isTrue();
    assertThat(objects)
        .as("no other workload kinds with pod specs")
        .noneMatch(
            o -> Set.of("Pod", "StatefulSet", "DaemonSet", "Job", "CronJob").contains(o.getKind()));
  }

  @ParameterizedTest
  @MethodSource("valueSets")
  void operatorSettingsAreOptionsTheOperatorReads(Path values) {
    Deployment deployment = deployment(HelmChart.parse(HelmChart.template(NS, values)));
    Map<String, String> env = env(deployment);
    Set<String> known =
        OperatorConfig.OPTIONS.stream().map(ConfigOption::envName).collect(Collectors.toSet());

    assertThat(env.keySet())
        .as("environment the operator does not read (a typo is a silently ignored setting)")
        .allMatch(name -> known.contains(name) || CHART_ENV.contains(name));
    OperatorConfig config = new OperatorConfig(Map.of(), env);
    config.validate();
    assertThat(config.get(OperatorConfig.INSTALL_CRDS)).isFalse();
    assertThat(config.get(OperatorConfig.LEADER_ELECTION)).isTrue();
    assertThat(container(deployment).getEnv())
        .filteredOn(e -> e.getName().equals("POD_NAMESPACE"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                    .isEqualTo("metadata.namespace"));

    Container container = container(deployment);
    Map<String, Integer> ports =
        container.getPorts().stream()
            .collect(Collectors.toMap(p -> p.getName(), p -> p.getContainerPort()));
    assertThat(ports)
        .containsEntry("health", config.get(OperatorConfig.HEALTH_PORT))
        .containsEntry("metrics", config.get(OperatorConfig.METRICS_PORT));
    assertProbe(container.getLivenessProbe(), "/healthz");
    assertProbe(container.getStartupProbe(), "/healthz");
    assertProbe(container.getReadinessProbe(), "/readyz");
    assertThat(container.getResources().getLimits()).containsKey("memory");
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
  }

  @Test
  void clusterWideRbacIsExactlyWhatTheOperatorUses() {
    List<HasMetadata> objects = HelmChart.render(NS, Map.of());
    OperatorConfig config = new OperatorConfig(Map.of(), env(deployment(objects)));
    List<OperatorPermissions.Rule> required = OperatorPermissions.required(config);

    ClusterRole clusterRole = ofKind(objects, ClusterRole.class).findFirst().orElseThrow();
    assertThat(RbacGrants.of(clusterRole.getRules()))
        .isEqualTo(RbacGrants.of(required, Scope.WATCHED_NAMESPACES));
    Role leaderElection = ofKind(objects, Role.class).findFirst().orElseThrow();
    assertThat(leaderElection.getMetadata().getNamespace()).isEqualTo(NS);
    assertThat(RbacGrants.of(leaderElection.getRules()))
        .isEqualTo(RbacGrants.of(required, Scope.LEASE_NAMESPACE))
        .contains(new Grant("coordination.k8s.io", "leases", "rspark-operator-leader", "update"));
    assertThat(RbacGrants.of(required, Scope.CLUSTER)).as("no CRD rights").isEmpty();
    assertBoundToTheServiceAccount(objects);
  }

  @Test
  void namedNamespacesGetARoleEachAndNothingClusterWide() {
    Map<String, Object> values =
        Map.of(
            "watchNamespaces", List.of("team-a", "team-b"), "operator", Map.of("leaseName", "l"));
    List<HasMetadata> objects = HelmChart.render(NS, values);
    OperatorConfig config = new OperatorConfig(Map.of(), env(deployment(objects)));
    List<OperatorPermissions.Rule> required = OperatorPermissions.required(config);

    assertThat(config.get(OperatorConfig.WATCH_NAMESPACES))
        .containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(ofKind(objects, ClusterRole.class)).isEmpty();
    assertThat(ofKind(objects, ClusterRoleBinding.class)).isEmpty();
    Map<String, Role> roles =
        ofKind(objects, Role.class)
            .filter(r -> !r.getMetadata().getName().endsWith("-leader-election"))
            .collect(Collectors.toMap(r -> r.getMetadata().getNamespace(), r -> r));
    assertThat(roles).containsOnlyKeys("team-a", "team-b");
    roles
        .values()
        .forEach(
            role ->
                assertThat(RbacGrants.of(role.getRules()))
                    .isEqualTo(RbacGrants.of(required, Scope.WATCHED_NAMESPACES)));
    Role lease =
        ofKind(objects, Role.class)
            .filter(r -> r.getMetadata().getName().endsWith("-leader-election"))
            .findFirst()
            .orElseThrow();
    assertThat(lease.getMetadata().getNamespace()).isEqualTo(NS);
    assertThat(RbacGrants.of(lease.getRules()))
        .isEqualTo(RbacGrants.of(required, Scope.LEASE_NAMESPACE))
        .contains(new Grant("coordination.k8s.io", "leases", "l", "get"));
    assertThat(
            ofKind(objects, RoleBinding.class)
                .map(b -> b.getMetadata().getNamespace() + "/" + b.getRoleRef().getName()))
        .containsExactlyInAnyOrder(
            "team-a/rspark-operator",
            "team-b/rspark-operator",
            NS + "/rspark-operator-leader-election");
    assertBoundToTheServiceAccount(objects);
  }

  @ParameterizedTest
  @MethodSource("valueSets")
  void noSecretAccessOutsideTheWatchedNamespaces(Path values) {
    List<HasMetadata> objects = HelmChart.parse(HelmChart.template(NS, values));
    Set<String> watched =
        new OperatorConfig(Map.of(), env(deployment(objects))).get(OperatorConfig.WATCH_NAMESPACES);

    Stream<Role> roles = ofKind(objects, Role.class);
    roles
        .filter(r -> !watched.isEmpty() && !watched.contains(r.getMetadata().getNamespace()))
        .forEach(
            r ->
                assertThat(RbacGrants.of(r.getRules()))
                    .as("Role %s in an unwatched namespace", r.getMetadata().getName())
                    .noneMatch(g -> g.resource().equals("secrets") || g.resource().equals("*")));
    if (!watched.isEmpty()) {
      assertThat(ofKind(objects, ClusterRole.class)).isEmpty();
    }
    Stream.concat(
            ofKind(objects, ClusterRole.class).flatMap(r -> r.getRules().stream()),
            ofKind(objects, Role.class).flatMap(r -> r.getRules().stream()))
        .forEach(
            rule -> {
              assertThat(rule.getVerbs()).doesNotContain("*", "escalate", "bind", "impersonate");
              assertThat(rule.getResources()).doesNotContain("*");
              assertThat(rule.getApiGroups()).doesNotContain("*", "apiextensions.k8s.io");
            });
  }

  @Test
  void moreReplicasAreSpreadOverNodesUnlessTheAffinityIsGiven() {
    Deployment three = deployment(HelmChart.render(NS, Map.of("replicaCount", 3)));
    List<WeightedPodAffinityTerm> preferred =
        three
            .getSpec()
            .getTemplate()
            .getSpec()
            .getAffinity()
            .getPodAntiAffinity()
            .getPreferredDuringSchedulingIgnoredDuringExecution();

    assertThat(three.getSpec().getReplicas()).isEqualTo(3);
    assertThat(preferred)
        .singleElement()
        .satisfies(
            term -> {
              assertThat(term.getPodAffinityTerm().getTopologyKey())
                  .isEqualTo("kubernetes.io/hostname");
              assertThat(three.getSpec().getTemplate().getMetadata().getLabels())
                  .containsAllEntriesOf(
                      term.getPodAffinityTerm().getLabelSelector().getMatchLabels());
              assertThat(term.getPodAffinityTerm().getLabelSelector().getMatchLabels())
                  .isEqualTo(three.getSpec().getSelector().getMatchLabels());
            });

    Map<String, Object> zone =
        Map.of(
            "nodeAffinity",
            Map.of(
                "requiredDuringSchedulingIgnoredDuringExecution",
                Map.of(
                    "nodeSelectorTerms",
                    List.of(
                        Map.of(
                            "matchExpressions",
                            List.of(
                                Map.of(
                                    "key",
                                    "pool",
                                    "operator",
                                    "In",
                                    "values",
                                    List.of("ops"))))))));
    Deployment custom =
        deployment(HelmChart.render(NS, Map.of("replicaCount", 3, "affinity", zone)));
    assertThat(custom.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity())
        .isNull();
    assertThat(custom.getSpec().getTemplate().getSpec().getAffinity().getNodeAffinity())
        .isNotNull();
  }

  @Test
  void metricsOffRendersNoServiceAndNoServiceMonitor() {
    List<HasMetadata> objects = HelmChart.render(NS, Map.of("metrics", Map.of("enabled", false)));

    assertThat(ofKind(objects, Service.class)).isEmpty();
    assertThat(objects).noneMatch(o -> o.getKind().equals("ServiceMonitor"));
    assertThat(objects).anyMatch(o -> o instanceof Deployment);
  }

  @Test
  void serviceMonitorScrapesTheMetricsServiceWhichSelectsTheOperatorPods() {
    List<HasMetadata> objects =
        HelmChart.render(
            NS,
            Map.of(
                "metrics",
                Map.of(
                    "port",
                    9090,
                    "serviceMonitor",
                    Map.of("enabled", true, "labels", Map.of("release", "prom")))));
    Service service = ofKind(objects, Service.class).findFirst().orElseThrow();
    GenericKubernetesResource monitor =
        ofKind(objects, GenericKubernetesResource.class)
            .filter(o -> o.getKind().equals("ServiceMonitor"))
            .findFirst()
            .orElseThrow();
    Deployment deployment = deployment(objects);

    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prom");
    Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
    assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(selector);
    List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
    assertThat(endpoints)
        .singleElement()
        .satisfies(
            e -> assertThat(e).containsEntry("port", "metrics").containsEntry("path", "/metrics"));
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("metrics");
              assertThat(p.getPort()).isEqualTo(9090);
              assertThat(p.getTargetPort().getStrVal()).isEqualTo("metrics");
            });
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(env(deployment)).containsEntry("RSPARK_METRICS_PORT", "9090");
  }

  /** The Spark line settings reach the operator; empty images keep its built-in defaults. */
  @Test
  void sparkLineValuesBecomeTheOperatorsSettings() {
    OperatorConfig defaults =
        new OperatorConfig(Map.of(), env(deployment(HelmChart.render(NS, Map.of()))));
    assertThat(defaults.get(OperatorConfig.DEFAULT_SPARK_VERSION)).isEqualTo("3.5");
    assertThat(defaults.lineImage(OperatorConfig.IMAGE_SPARK_3_5))
        .isEqualTo(OperatorConfig.IMAGE_SPARK_3_5.defaultValue());
    assertThat(defaults.lineImage(OperatorConfig.IMAGE_SPARK_4_2))
        .isEqualTo(OperatorConfig.IMAGE_SPARK_4_2.defaultValue());

    Map<String, Object> values =
        Map.of(
            "operator",
            Map.of(
                "defaultSparkVersion",
                "4.2",
                "sparkImages",
                Map.of("3.5", "r.example/x:3.5.6-r4", "4.2", "r.example/x:4.2.0-r4")));
    OperatorConfig set =
        new OperatorConfig(Map.of(), env(deployment(HelmChart.render(NS, values))));
    assertThat(set.get(OperatorConfig.DEFAULT_SPARK_VERSION)).isEqualTo("4.2");
    assertThat(set.lineImage(OperatorConfig.IMAGE_SPARK_3_5)).isEqualTo("r.example/x:3.5.6-r4");
    assertThat(set.lineImage(OperatorConfig.IMAGE_SPARK_4_2)).isEqualTo("r.example/x:4.2.0-r4");
  }

  /**
   * {@code helm upgrade --reuse-values} of a release made before Spark lines existed keeps its old
   * values: no sparkImages, no defaultSparkVersion, perhaps the deprecated defaultImage. The chart
   * still renders, and that image stays the 3.5 one.
   */
  @Test
  void valuesFromBeforeSparkLinesStillRender() {
    Map<String, Object> operator = new java.util.HashMap<>();
    operator.put("sparkImages", null);
    operator.put("defaultSparkVersion", null);
    operator.put("defaultImage", "r.example/old:3.5.6-r4");
    Map<String, String> env = env(deployment(HelmChart.render(NS, Map.of("operator", operator))));
    assertThat(env)
        .as("the keys are really absent")
        .doesNotContainKeys("RSPARK_DEFAULT_SPARK_VERSION", "RSPARK_IMAGE_SPARK_3_5");
    OperatorConfig config = new OperatorConfig(Map.of(), env);
    config.validate();
    assertThat(config.get(OperatorConfig.DEFAULT_SPARK_VERSION)).isEqualTo("3.5");
    assertThat(config.lineImage(OperatorConfig.IMAGE_SPARK_3_5))
        .isEqualTo("r.example/old:3.5.6-r4");
    assertThat(config.deprecations()).singleElement().asString().contains("rspark.default-image");
  }

  @ParameterizedTest
  @MethodSource("badValues")
  void badValuesAreRejectedWithAClearMessage(Path values) throws IOException {
    String expected =
        Files.readAllLines(values, StandardCharsets.UTF_8).get(0).replaceFirst("^# expect: ", "");

    assertThatThrownBy(() -> HelmChart.template(NS, values))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void theSchemaItselfRejectsMostBadValues() throws IOException {
    List<Path> bySchema = new java.util.ArrayList<>();
    for (Path values : badValues().toList()) {
      try {
        HelmChart.template(NS, values);
      } catch (IllegalStateException e) {
        if (e.getMessage().startsWith("values don't meet the specifications of the schema")) {
          bySchema.add(values);
        }
      }
    }
    assertThat(bySchema).hasSizeGreaterThanOrEqualTo(10);
  }

  @Test
  void notesTellTheNextStepWithASampleCluster() {
    String notes = HelmChart.notes(NS, Map.of("watchNamespaces", List.of("team-a")));

    assertThat(notes)
        .contains("kubectl -n " + NS + " rollout status deployment/rspark-operator")
        .contains("It manages RSparkClusters in: team-a.")
        .contains("kubectl apply -n team-a -f -")
        .contains("wait --for=condition=Ready rsc/solo");
    // CrdAdmissionIT sends this sample to a Kubernetes 1.36 API server, which must admit it.
    assertThat(HelmChart.notesSample(notes)).contains("kind: RSparkCluster", "name: solo");
    assertThat(HelmChart.notes(NS, Map.of()))
        .contains("It manages RSparkClusters in every namespace.");
  }

  @Test
  void everyValueIsDocumentedInTheChartsReadme() throws IOException {
    Map<String, Object> values =
        Serialization.unmarshal(
            Files.readString(HelmChart.dir().resolve("values.yaml")),
            new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
    String readme = Files.readString(HelmChart.dir().resolve("README.md"));
    Set<String> documented =
        readme
            .substring(
                readme.indexOf("<!-- values:begin -->"), readme.indexOf("<!-- values:end -->"))
            .lines()
            .filter(l -> l.startsWith("| `"))
            .map(l -> l.substring(3, l.indexOf('`', 3)))
            .collect(Collectors.toSet());
    Set<String> paths = new java.util.TreeSet<>();
    Set<String> leaves = new java.util.TreeSet<>();
    walk("", values, paths, leaves);

    assertThat(paths).as("documented keys that values.yaml has").containsAll(documented);
    assertThat(leaves)
        .as("values without a row (or a parent's row) in the README's table")
        .allMatch(
            leaf -> documented.stream().anyMatch(d -> leaf.equals(d) || leaf.startsWith(d + ".")));
  }

  @SuppressWarnings("unchecked")
  private static void walk(
      String prefix, Map<String, Object> map, Set<String> paths, Set<String> leaves) {
    for (Map.Entry<String, Object> e : map.entrySet()) {
      String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      paths.add(path);
      if (e.getValue() instanceof Map<?, ?> child && !child.isEmpty()) {
        walk(path, (Map<String, Object>) child, paths, leaves);
      } else {
        leaves.add(path);
      }
    }
  }

  private static void assertBoundToTheServiceAccount(List<HasMetadata> objects) {
    String serviceAccount =
        deployment(objects).getSpec().getTemplate().getSpec().getServiceAccountName();
    Set<String> roleNames = new HashSet<>();
    ofKind(objects, Role.class).forEach(r -> roleNames.add(r.getMetadata().getName()));
    ofKind(objects, ClusterRole.class).forEach(r -> roleNames.add(r.getMetadata().getName()));
    Stream<List<Subject>> subjects =
        Stream.concat(
            ofKind(objects, RoleBinding.class)
                .peek(b -> assertThat(roleNames).contains(b.getRoleRef().getName()))
                .map(RoleBinding::getSubjects),
            ofKind(objects, ClusterRoleBinding.class)
                .peek(b -> assertThat(roleNames).contains(b.getRoleRef().getName()))
                .map(ClusterRoleBinding::getSubjects));
    subjects.forEach(
        s ->
            assertThat(s)
                .singleElement()
                .satisfies(
                    subject -> {
                      assertThat(subject.getKind()).isEqualTo("ServiceAccount");
                      assertThat(subject.getName()).isEqualTo(serviceAccount);
                      assertThat(subject.getNamespace()).isEqualTo(NS);
                    }));
  }

  private static void assertProbe(Probe probe, String path) {
    assertThat(probe).as("probe on %s", path).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("health");
  }

  static Deployment deployment(List<HasMetadata> objects) {
    return ofKind(objects, Deployment.class).findFirst().orElseThrow();
  }

  static Container container(Deployment deployment) {
    List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  /** The container's literal environment (valueFrom entries map to ""). */
  static Map<String, String> env(Deployment deployment) {
    return container(deployment).getEnv().stream()
        .collect(
            Collectors.toMap(
                EnvVar::getName, e -> e.getValue() == null ? "" : e.getValue(), (a, b) -> b));
  }
}
