package io.rspark.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.rspark.operator.testing.KubeApiKit;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the apiserver itself enforces from the generated CRD, on the kit's Kubernetes 1.20: the
 * structural schema (types, patterns, bounds, enums, required) with HTTP 422. It does not enforce
 * unknown fields (it prunes them silently) nor CEL rules (it drops them); {@link CrdSchema} checks
 * those in unit tests, and the last two tests here notice if the kit ever starts doing so.
 */
class CrdAdmissionIT {
  private static final ResourceDefinitionContext RSPARK_CLUSTERS =
      new ResourceDefinitionContext.Builder()
          .withGroup(RSparkCluster.GROUP)
          .withVersion(RSparkCluster.VERSION)
          .withKind("RSparkCluster")
          .withPlural("rsparkclusters")
          .withNamespaced(true)
          .build();
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static KubernetesClient client;
  private static String namespace;

  @BeforeAll
  static void namespace() {
    KubeApiKit kit = KubeApiKit.get();
    client = kit.newClient();
    namespace = kit.newNamespace(client, "crd-admission");
  }

  @AfterAll
  static void cleanUp() {
    if (client != null) {
      client.namespaces().withName(namespace).delete();
      client.close();
    }
  }

  static Stream<Arguments> refusedByTheApiserver() {
    return Stream.of(
        arguments(
            "{workers: {replicas: -1}}", "spec.workers.replicas", "greater than or equal to 0"),
        arguments(
            "{workers: {replicas: 1001}}", "spec.workers.replicas", "less than or equal to 1000"),
        arguments("{workers: {replicas: '3'}}", "spec.workers.replicas", "must be of type integer"),
        arguments("{image: 'Team/R-Executor:1'}", "spec.image", "should match"),
        arguments("{image: 'repo:tag:tag'}", "spec.image", "should match"),
        arguments(
            "{driver: {resources: {cpu: 2 cores}}}", "spec.driver.resources.cpu", "should match"),
        arguments("{workers: {resources: {memory: -1Gi}}}", "resources.memory", "should match"),
        arguments("{driver: {resources: {cpu: -1}}}", "spec.driver.resources.cpu", "greater than"),
        arguments("{imagePullPolicy: Sometimes}", "spec.imagePullPolicy", "Unsupported value"),
        arguments("{priorityClassName: High}", "spec.priorityClassName", "should match"),
        arguments(
            "{priorityClassName: " + "p".repeat(254) + "}",
            "spec.priorityClassName",
            "should be at most 253 chars"),
        arguments("{imagePullSecrets: [{}]}", "spec.imagePullSecrets.name", "Required value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedByTheApiserver")
  void refusedWith422(String spec, String field, String fragment) {
    KubernetesClientException e =
        catchThrowableOfType(KubernetesClientException.class, () -> create(spec));
    assertThat(e).as("the apiserver refuses %s", spec).isNotNull();
    assertThat(e.getCode()).isEqualTo(422);
    assertThat(e.getStatus().getMessage()).contains(field).contains(fragment);
  }

  @Test
  void validClusterIsAccepted() {
    String spec =
        """
        {image: 'localhost:5000/team/r-executor:3.5-r4', imagePullPolicy: Always,
         imagePullSecrets: [{name: regcred}],
         driver: {resources: {cpu: '2', memory: 4Gi}},
         workers: {replicas: 3, resources: {cpu: 500m, cpuLimit: '1.5', memory: 2Gi}},
         sparkConf: {spark.sql.shuffle.partitions: '64'},
         env: [{name: TZ, value: UTC}, {name: CPU, valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 1m}}}],
         tolerations: [{key: dedicated, operator: Exists, effect: NoSchedule}],
         priorityClassName: batch-high, podLabels: {team: a}}
        """;
    assertThat(CrdSchema.generated().validateSpec(spec)).isEmpty();
    GenericKubernetesResource created = create(spec);
    assertThat(spec(created))
        .containsEntry("image", "localhost:5000/team/r-executor:3.5-r4")
        .containsEntry("priorityClassName", "batch-high")
        .containsEntry("workers", Map.of("replicas", 3, "resources", resources()));
  }

  /** Quantities are int-or-string, and the apiserver stores a YAML integer as an integer. */
  @Test
  void integerQuantitiesAreAcceptedAndKeptAsIntegers() {
    String spec = "{workers: {replicas: 1, resources: {cpu: 2, memory: 4294967296}}}";
    assertThat(CrdSchema.generated().validateSpec(spec)).isEmpty();
    GenericKubernetesResource created = create(spec);
    assertThat(spec(created))
        .containsEntry(
            "workers", Map.of("replicas", 1, "resources", Map.of("cpu", 2, "memory", 4294967296L)));
  }

  /**
   * Kubernetes 1.20 prunes unknown fields without a word (strict field validation came in 1.25), so
   * a misspelt field is lost silently; that is why {@link CrdSchema} checks them in unit tests.
   */
  @Test
  void unknownFieldsArePrunedSilentlyBy120() {
    String spec = "{workers: {replica: 5, replicas: 1}, replicas: 5, driver: {cores: 4}}";
    assertThat(CrdSchema.generated().validateSpec(spec))
        .contains(
            "unknown field \"spec.workers.replica\"",
            "unknown field \"spec.replicas\"",
            "unknown field \"spec.driver.cores\"");
    GenericKubernetesResource created = create(spec);
    assertThat(spec(created))
        .doesNotContainKey("replicas")
        .containsEntry("workers", Map.of("replicas", 1))
        .containsEntry("driver", Map.of());
  }

  /** Kubernetes 1.20 drops x-kubernetes-validations: CEL rules are checked by CrdSchema only. */
  @Test
  void celRulesAreNotEnforcedBy120() {
    String spec = "{sparkConf: {spark.master: 'local[2]'}, podLabels: {rspark.io/role: x}}";
    assertThat(CrdSchema.generated().validateSpec(spec)).hasSize(2);
    assertThat(spec(create(spec))).containsKey("sparkConf");
  }

  private static GenericKubernetesResource create(String specYaml) {
    GenericKubernetesResource cluster = new GenericKubernetesResource();
    cluster.setApiVersion(RSparkCluster.GROUP + "/" + RSparkCluster.VERSION);
    cluster.setKind("RSparkCluster");
    cluster.setMetadata(new ObjectMetaBuilder().withName("c" + NAMES.incrementAndGet()).build());
    try {
      cluster.setAdditionalProperty("spec", YAML.readValue(specYaml, Map.class));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(specYaml, e);
    }
    return client
        .genericKubernetesResources(RSPARK_CLUSTERS)
        .inNamespace(namespace)
        .resource(cluster)
        .create();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource cluster) {
    return (Map<String, Object>) cluster.getAdditionalProperties().get("spec");
  }

  private static Map<String, Object> resources() {
    return Map.of("cpu", "500m", "cpuLimit", "1.5", "memory", "2Gi");
  }
}
