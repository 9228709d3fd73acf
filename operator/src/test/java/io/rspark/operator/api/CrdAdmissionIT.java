package io.rspark.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.rspark.operator.api.MalformedSpecs.Layer;
import io.rspark.operator.api.MalformedSpecs.Row;
import io.rspark.operator.testing.CrdKit;
import io.rspark.operator.testing.GeneratedCrd;
import io.rspark.operator.testing.HelmChart;
import io.rspark.operator.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Admission of RSparkClusters as a Kubernetes 1.36 cluster does it, on the real CRD API server of
 * {@link CrdKit}: the generated CRD installs (its CEL rules compile and fit the cost budget), every
 * row of {@link MalformedSpecs} is refused with its message when sent the way kubectl sends it
 * ({@code fieldValidation=Strict}) or, for the operator's rows, accepted; the samples users copy
 * are accepted; the transition rule, defaulting and the scale subresource work.
 *
 * <p>Specs are sent as dry runs (the server validates and defaults, then stores nothing), so rows
 * need no clean-up and cannot collide.
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
  private static final String NAMESPACE = "crd-admission";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final List<String> WARNINGS = new CopyOnWriteArrayList<>();

  private static CrdKit kit;
  private static KubernetesClient client;

  @BeforeAll
  static void connect() {
    kit = CrdKit.get();
    client = kit.newClient(WARNINGS::add);
  }

  @AfterAll
  static void cleanUp() {
    if (client != null) {
      client.genericKubernetesResources(RSPARK_CLUSTERS).inNamespace(NAMESPACE).delete();
      client.close();
    }
  }

  @BeforeEach
  void noWarningsYet() {
    WARNINGS.clear();
  }

  @Test
  void theGeneratedCrdInstallsWithoutAWarning() {
    assertThat(kit.installWarnings()).isEmpty();
    CustomResourceDefinition installed =
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName(GeneratedCrd.crd().getMetadata().getName())
            .get();
    assertThat(installed.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Established");
              assertThat(c.getStatus()).isEqualTo("True");
            });
    assertThat(installed.getStatus().getAcceptedNames().getShortNames()).containsExactly("rsc");
  }

  /** Quantities are int-or-string, and the apiserver stores a YAML integer as an integer. */
  @Test
  void integerQuantitiesAreAcceptedAndKeptAsIntegers() {
    String spec = "{workers: {replicas: 1, resources: {cpu: 2, memory: 4294967296}}}";
    GenericKubernetesResource created = create(cluster(null, spec));
    assertThat(spec(created))
        .containsEntry(
            "workers", Map.of("replicas", 1, "resources", Map.of("cpu", 2, "memory", 4294967296L)));
  }

  /**
   * The cost budget a 1.30+ server holds CEL rules to, shown on the real server: the same CRD under
   * another group, with no bound on the number of {@code sparkConf} keys its rules walk, is refused
   * at create with the server's own message.
   */
  @Test
  void aRuleWithNoCostBoundKeepsTheCrdOut() {
    CustomResourceDefinition crd = unboundedCopy();
    JSONSchemaProps sparkConf = specProperty(crd, "sparkConf");
    assertThat(sparkConf.getMaxProperties()).isNotNull();
    sparkConf.setMaxProperties(null);

    assertThat(refusal(crd))
        .contains(
            "spec.validation.openAPIV3Schema.properties[spec].properties[sparkConf]"
                + ".x-kubernetes-validations[2].rule: Forbidden: estimated rule cost exceeds budget");
  }

  /**
   * Why env names are the operator's check, not a rule: {@code EnvVar.name} has no maxLength, so a
   * regular expression over every name exceeds the budget even with the list's 128 items.
   */
  @Test
  void anEnvNameRuleWouldNotFitTheBudget() {
    CustomResourceDefinition crd = unboundedCopy();
    specProperty(crd, "env")
        .getXKubernetesValidations()
        .add(
            new ValidationRuleBuilder()
                .withRule(
                    "self.all(e, !has(e.name) || e.name.matches('^[-._a-zA-Z][-._a-zA-Z0-9]*$'))")
                .withMessage("env names must be C identifiers")
                .build());

    assertThat(refusal(crd))
        .contains(
            "spec.validation.openAPIV3Schema.properties[spec].properties[env]"
                + ".x-kubernetes-validations[2].rule: Forbidden: estimated rule cost exceeds budget");
  }

  /** The generated CRD under a group of its own, so that creating it cannot touch ours. */
  private static CustomResourceDefinition unboundedCopy() {
    CustomResourceDefinition crd = GeneratedCrd.crd();
    crd.getMetadata().setName("rsparkclusters.unbounded.rspark.io");
    crd.getSpec().setGroup("unbounded.rspark.io");
    return crd;
  }

  private static JSONSchemaProps specProperty(CustomResourceDefinition crd, String name) {
    return crd.getSpec()
        .getVersions()
        .get(0)
        .getSchema()
        .getOpenAPIV3Schema()
        .getProperties()
        .get("spec")
        .getProperties()
        .get(name);
  }

  private static String refusal(CustomResourceDefinition crd) {
    KubernetesClientException e =
        catchThrowableOfType(
            KubernetesClientException.class,
            () -> client.apiextensions().v1().customResourceDefinitions().resource(crd).create());
    assertThat(e).as("the server refuses the CRD").isNotNull();
    assertThat(e.getCode()).isEqualTo(422);
    return e.getStatus().getMessage();
  }

  static Stream<Row> rows() {
    return MalformedSpecs.rows().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void everyMalformedSpecIsRefusedWithItsMessageOrLeftToTheOperator(Row row) {
    GenericKubernetesResource cluster = cluster(row.name(), row.spec());
    if (!row.refusedByTheServer()) {
      assertThat(dryRun(cluster)).as("only the operator can judge %s", row).isNotNull();
      assertThat(WARNINGS).isEmpty();
      return;
    }
    KubernetesClientException e =
        catchThrowableOfType(KubernetesClientException.class, () -> dryRun(cluster));
    assertThat(e).as("the server refuses %s", row).isNotNull();
    // Unknown fields fail decoding (400), before validation (422) runs.
    int status = row.layer() == Layer.UNKNOWN_FIELD ? 400 : 422;
    assertThat(e.getCode()).as("HTTP status of %s", row).isEqualTo(status);
    assertThat(e.getStatus().getMessage()).contains(row.serverMessage());
  }

  /**
   * A client that asks for {@code Warn} (kubectl before 1.27, most API clients) gets its cluster
   * stored without the unknown field and a warning; this also shows that the warnings the other
   * tests expect to be empty do reach them.
   */
  @Test
  void unknownFieldsUnderWarnAreDroppedWithAWarning() {
    GenericKubernetesResource stored =
        resource(cluster(null, "{workers: {replica: 3, replicas: 1}}"))
            .dryRun()
            .fieldValidation(Validation.WARN)
            .create();
    assertThat(spec(stored)).containsEntry("workers", Map.of("replicas", 1));
    // A Warning header: 299 - "<text with its quotes escaped>".
    assertThat(WARNINGS)
        .singleElement()
        .asString()
        .startsWith("299 - ")
        .contains("unknown field \\\"spec.workers.replica\\\"");
  }

  /** The samples users copy: examples/, the README's and the chart's NOTES (as helm prints it). */
  static Stream<String> samples() throws IOException {
    List<String> samples = new ArrayList<>();
    try (Stream<Path> files = Files.list(RepoPaths.root().resolve("examples"))) {
      for (Path p : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        samples.add(Files.readString(p));
      }
    }
    Matcher blocks =
        Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL)
            .matcher(Files.readString(RepoPaths.root().resolve("README.md")));
    while (blocks.find()) {
      if (blocks.group(1).contains("kind: RSparkCluster")) {
        samples.add(blocks.group(1));
      }
    }
    samples.add(HelmChart.notesSample(HelmChart.notes("rspark-system", Map.of())));
    assertThat(samples).hasSizeGreaterThanOrEqualTo(7);
    return samples.stream();
  }

  @ParameterizedTest
  @MethodSource("samples")
  void everySampleIsAcceptedWithoutAWarning(String sample) {
    GenericKubernetesResource cluster = Serialization.unmarshal(sample);
    cluster.getMetadata().setNamespace(NAMESPACE);
    assertThat(dryRun(cluster)).isNotNull();
    assertThat(WARNINGS).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{workers: {autoscaling: {minReplicas: 1, maxReplicas: 1}}}",
        "{workers: {replicas: 0, autoscaling: {minReplicas: 2, maxReplicas: 8}}}",
        "{workers: {autoscaling: {minReplicas: 1, maxReplicas: 1000, scaleDownDelay: 1h30m}}}",
        "{autoTermination: {idleMinutes: 120}, suspend: true}",
        "{suspend: false}",
        "{scheduler: kubernetes}",
        "{scheduler: kubernetes, workers: {replicas: 0}, executors: {minExecutors: 2,"
            + " maxExecutors: 2, idleTimeout: 5m, resources: {cpu: '2', memory: 8Gi}}}",
        "{scheduler: standalone, workers: {replicas: 3}}",
        "{image: null, workers: {replicas: 2, resources: null}}",
        "{sparkVersion: '4.2'}",
        "{sparkVersion: '3.5', image: registry.example.com/rspark/r-executor:3.5.6-r4}",
        "{r: {packages: [data.table, xgboost], repos: ['https://cloud.r-project.org'],"
            + " sparklyrSessions: 9, librarySizeLimit: 8Gi}}",
        "{access: {clientSelector: {matchLabels: {team: a}}}}",
        "{imagePullSecrets: [{name: regcred}, {name: registry.example.com}],"
            + " priorityClassName: batch-high}",
        "{sparkConf: {spark.sql.shuffle.partitions: '64', spark.executor.memoryOverhead: 1g}}",
        "{env: [{name: TZ, value: UTC}, {name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db,"
            + " key: password}}}, {name: CPU, valueFrom: {resourceFieldRef: {resource:"
            + " limits.cpu, divisor: 1m}}}]}",
        "{tolerations: [{key: dedicated, operator: Equal, value: spark, effect: NoSchedule}],"
            + " nodeSelector: {kubernetes.io/arch: amd64}, podLabels: {cost-center: '4711'},"
            + " podAnnotations: {prometheus.io/scrape: 'true'}}",
        "{affinity: {podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution:"
            + " [{weight: 100, podAffinityTerm: {topologyKey: kubernetes.io/hostname}}]}}}",
        "{workers: {resources: {cpu: 2, memory: 4294967296}}}",
        "{workers: {resources: {cpu: '2', memory: '4294967296'}}}",
        "{driver: {resources: {cpu: 1, cpuLimit: 2, memory: 1073741824}}}",
        "{workers: {resources: {cpu: '2', cpuLimit: 4, memory: 4Gi}}}",
        "{scheduler: kubernetes, executors: {resources: {cpu: 3, memory: 8589934592}}}",
        "{r: {librarySizeLimit: 4294967296}}"
      })
  void specsThatFitAreAccepted(String spec) {
    assertThat(dryRun(cluster(null, spec))).isNotNull();
    assertThat(WARNINGS).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "r-executor",
        "r-executor:3.5-r4",
        "localhost:5000/team/r-executor:3.5-r4",
        "registry.example.com/a/b/c:1.0",
        "ghcr.io/org/img@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "docker.io/library/r-base:4.4.1",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/rspark/r-executor:latest",
        "192.168.1.10:5000/img",
        "xn--bcher-kva.example/img:1",
        "quay.io/org/name__with__underscores",
        "example.com/a---b/c.d_e:TAG_1.0"
      })
  void imageReferencesAreAccepted(String image) {
    assertThat(dryRun(cluster(null, "{sparkVersion: '3.5', image: '" + image + "'}"))).isNotNull();
  }

  @Test
  void theSchedulerDefaultsToStandaloneAndCannotChange() {
    GenericKubernetesResource created = create(cluster(null, "{workers: {replicas: 1}}"));
    assertThat(spec(created)).containsEntry("scheduler", "standalone");

    spec(created).put("scheduler", "kubernetes");
    spec(created).put("workers", Map.of("replicas", 0));
    KubernetesClientException e =
        catchThrowableOfType(KubernetesClientException.class, () -> resource(created).update());
    assertThat(e.getCode()).isEqualTo(422);
    assertThat(e.getStatus().getMessage())
        .contains(
            "spec.scheduler: Invalid value: \"kubernetes\": scheduler cannot change on an existing"
                + " cluster; create a new cluster instead");

    GenericKubernetesResource current = resource(created).get();
    spec(current).put("suspend", true);
    assertThat(spec(resource(current).update())).containsEntry("suspend", true);
  }

  @Test
  void kubectlScaleChangesWorkersReplicasThroughTheScaleSubresource() {
    GenericKubernetesResource created = create(cluster(null, "{workers: {replicas: 1}}"));
    String name = created.getMetadata().getName();

    CrdKit.Result scaled = kit.kubectl("-n", NAMESPACE, "scale", "rsc/" + name, "--replicas=5");
    assertThat(scaled.exit()).as(scaled.output()).isZero();
    assertThat(spec(resource(created).get())).containsEntry("workers", Map.of("replicas", 5));

    CrdKit.Result tooMany = kit.kubectl("-n", NAMESPACE, "scale", "rsc/" + name, "--replicas=1001");
    assertThat(tooMany.exit()).isNotZero();
    assertThat(tooMany.output())
        .contains("spec.workers.replicas in body should be less than or equal to 1000");
  }

  private static GenericKubernetesResource dryRun(GenericKubernetesResource cluster) {
    return resource(cluster).dryRun().fieldValidation(Validation.STRICT).create();
  }

  private static GenericKubernetesResource create(GenericKubernetesResource cluster) {
    return resource(cluster).fieldValidation(Validation.STRICT).create();
  }

  private static Resource<GenericKubernetesResource> resource(GenericKubernetesResource cluster) {
    return client
        .genericKubernetesResources(RSPARK_CLUSTERS)
        .inNamespace(NAMESPACE)
        .resource(cluster);
  }

  private static GenericKubernetesResource cluster(String name, String specYaml) {
    GenericKubernetesResource cluster = new GenericKubernetesResource();
    cluster.setApiVersion(RSparkCluster.GROUP + "/" + RSparkCluster.VERSION);
    cluster.setKind("RSparkCluster");
    cluster.setMetadata(
        new ObjectMetaBuilder()
            .withName(name != null ? name : "c" + NAMES.incrementAndGet())
            .withNamespace(NAMESPACE)
            .build());
    try {
      cluster.setAdditionalProperty("spec", YAML.readValue(specYaml, Map.class));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(specYaml, e);
    }
    return cluster;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource cluster) {
    return (Map<String, Object>) cluster.getAdditionalProperties().get("spec");
  }
}
