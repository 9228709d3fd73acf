package io.rspark.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.rspark.operator.api.ClusterPhase;
import io.rspark.operator.api.CrdSchema;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.status.Conditions;
import io.rspark.operator.testing.LogCapture;
import io.rspark.operator.testing.OperatorHarness;
import io.rspark.operator.testing.RequestCounter;
import io.rspark.operator.testing.SpecText;
import io.rspark.operator.testing.TestClusters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed specs against the running operator on the real 1.20 apiserver. What the structural
 * schema catches is refused at admission with the server's own message; what only CEL (dropped
 * before 1.25) or the operator's validator catches is accepted and must end Stalled with its
 * reason. Either way the operator creates and deletes nothing for them. Every row is also refused
 * by {@link CrdSchema}, the way a current apiserver validates, so the table cannot hold a valid
 * spec by mistake.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultMalformedSpecIT {
  private static final ResourceDefinitionContext RSPARK_CLUSTERS =
      new ResourceDefinitionContext.Builder()
          .withGroup(RSparkCluster.GROUP)
          .withVersion(RSparkCluster.VERSION)
          .withKind("RSparkCluster")
          .withPlural("rsparkclusters")
          .withNamespaced(true)
          .build();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> STALLED = ConcurrentHashMap.newKeySet();

  private static LogCapture logs;
  private static OperatorHarness harness;

  /** Which layer catches a row on a current Kubernetes. */
  enum Layer {
    SCHEMA,
    CEL,
    OPERATOR
  }

  /** One malformed cluster: refused at admission, or accepted and then Stalled. */
  record Row(String name, String spec, Layer layer, String reasonOrField, String fragment) {
    boolean admitted() {
      return layer != Layer.SCHEMA;
    }

    @Override
    public String toString() {
      return name + " " + spec;
    }
  }

  private static Row refused(String spec, String field, String fragment) {
    return new Row(null, spec, Layer.SCHEMA, field, fragment);
  }

  private static Row stalled(String spec, String reason, String fragment) {
    return new Row(null, spec, Layer.CEL, reason, fragment);
  }

  private static Row semantic(String spec, String reason, String fragment) {
    return new Row(null, spec, Layer.OPERATOR, reason, fragment);
  }

  private static Row stalledName(String name, String reason) {
    return new Row(name, "{}", Layer.CEL, reason, "metadata.name '" + name + "'");
  }

  static Stream<Row> rows() {
    List<Row> rows =
        List.of(
            // The structural schema: the 1.20 apiserver refuses these with 422.
            refused(
                "{workers: {replicas: -1}}", "spec.workers.replicas", "greater than or equal to 0"),
            refused(
                "{workers: {replicas: 1001}}",
                "spec.workers.replicas",
                "less than or equal to 1000"),
            refused(
                "{workers: {replicas: '3'}}", "spec.workers.replicas", "must be of type integer"),
            refused(
                "{workers: {replicas: 2.5}}", "spec.workers.replicas", "must be of type integer"),
            refused("{image: 'Team/R-Executor:1'}", "spec.image", "should match"),
            refused("{image: 'repo:tag:tag'}", "spec.image", "should match"),
            refused("{image: 'r executor:1'}", "spec.image", "should match"),
            refused("{image: 'img@sha256:abc'}", "spec.image", "should match"),
            refused(
                "{driver: {resources: {cpu: 2 cores}}}",
                "spec.driver.resources.cpu",
                "should match"),
            refused(
                "{workers: {resources: {cpuLimit: '-1'}}}",
                "spec.workers.resources.cpuLimit",
                "should match"),
            refused(
                "{driver: {resources: {memory: '4GB '}}}",
                "spec.driver.resources.memory",
                "should match"),
            refused(
                "{workers: {resources: {memory: -1Gi}}}",
                "spec.workers.resources.memory",
                "should match"),
            refused(
                "{workers: {resources: {memory: '" + "1".repeat(33) + "'}}}",
                "spec.workers.resources.memory",
                "at most 32"),
            refused("{imagePullPolicy: Sometimes}", "spec.imagePullPolicy", "Unsupported value"),
            refused("{priorityClassName: High}", "spec.priorityClassName", "should match"),
            refused(
                "{priorityClassName: " + "p".repeat(254) + "}",
                "spec.priorityClassName",
                "at most 253"),
            refused("{imagePullSecrets: [{}]}", "spec.imagePullSecrets.name", "Required value"),
            refused(
                "{imagePullSecrets: [{name: Regcred}]}",
                "spec.imagePullSecrets.name",
                "should match"),
            refused("{imagePullSecrets: [{name: ''}]}", "spec.imagePullSecrets.name", "at least 1"),
            refused(
                "{imagePullSecrets: " + SpecText.manyNames(17) + "}",
                "spec.imagePullSecrets",
                "at most 16"),
            refused("{r: {packages: ['xgboost; rm']}}", "spec.r.packages", "should match"),
            refused("{r: {repos: ['ftp://cran.example.org']}}", "spec.r.repos", "should match"),
            refused("{r: {librarySizeLimit: 4 GB}}", "spec.r.librarySizeLimit", "should match"),
            refused("{nodeSelector: {a: 1}}", "spec.nodeSelector.a", "must be of type string"),
            refused(
                "{nodeSelector: " + SpecText.manyKeys(65) + "}", "spec.nodeSelector", "at most 64"),
            // CEL rules, which 1.20 drops: the operator's validator must catch them.
            stalled(
                "{sparkConf: {executor.memory: 2g}}",
                "InvalidSparkConf",
                "must start with 'spark.'"),
            stalled(
                "{sparkConf: {spark.master: 'local[2]'}}",
                "OperatorOwnedSparkConf",
                "spark.master"),
            stalled(
                "{sparkConf: {spark.worker.ui.port: '9000'}}",
                "OperatorOwnedSparkConf",
                "spark.worker.ui.port"),
            stalled(
                "{sparkConf: {spark.authenticate.secret: x}}",
                "OperatorOwnedSparkConf",
                "spark.authenticate.secret"),
            stalled(
                "{sparkConf: {spark.kubernetes.namespace: x}}",
                "OperatorOwnedSparkConf",
                "spark.kubernetes.namespace"),
            stalled(
                "{sparkConf: {spark.submit.deployMode: cluster}}",
                "OperatorOwnedSparkConf",
                "spark.submit.deployMode"),
            stalled(
                "{sparkConf: {'spark.app.name x': y}}",
                "InvalidSparkConf",
                "must not contain whitespace"),
            stalled(
                "{sparkConf: {'spark.a=b': y}}", "InvalidSparkConf", "must not contain whitespace"),
            stalled(
                "{sparkConf: {'spark.a:b': y}}", "InvalidSparkConf", "must not contain whitespace"),
            stalled("{env: [{name: RSPARK_ROLE, value: w}]}", "ReservedEnv", "RSPARK_ROLE"),
            stalled("{env: [{value: nameless}]}", "InvalidEnv", "every env entry needs a name"),
            stalled("{podLabels: {rspark.io/x: y}}", "ReservedLabel", "rspark.io/x"),
            stalled(
                "{podLabels: {app.kubernetes.io/name: y}}",
                "ReservedLabel",
                "app.kubernetes.io/name"),
            stalled("{podAnnotations: {rspark.io/x: y}}", "ReservedLabel", "rspark.io/x"),
            stalledName("dotted.name", "InvalidName"),
            stalledName("n" + "0".repeat(59), "InvalidName"),
            // Neither schema nor CEL can say these: only the operator's validator.
            semantic(
                "{driver: {resources: {memory: 512Mi}}}",
                "InsufficientMemory",
                "driver.resources.memory 512Mi"),
            semantic(
                "{workers: {replicas: 1, resources: {memory: 1000Mi}}}",
                "InsufficientMemory",
                "workers.resources.memory 1000Mi"),
            semantic(
                "{workers: {replicas: 1, resources: {cpu: '2', cpuLimit: '1'}}}",
                "InvalidResources",
                "cpuLimit 1 is below cpu 2"),
            semantic(
                "{driver: {resources: {cpu: '0'}}}", "InvalidResources", "cpu must be above 0"),
            semantic("{env: [{name: SPARK_CONF_DIR, value: /x}]}", "ReservedEnv", "SPARK_CONF_DIR"),
            semantic(
                "{env: [{name: TZ, value: UTC}, {name: TZ, value: CET}]}",
                "InvalidEnv",
                "more than once"),
            semantic("{podLabels: {'a b': x}}", "InvalidLabel", "podLabels key 'a b'"),
            semantic("{podLabels: {team: 'x y'}}", "InvalidLabel", "podLabels value of 'team'"),
            semantic("{nodeSelector: {'-bad': x}}", "InvalidLabel", "nodeSelector key '-bad'"),
            semantic(
                "{podAnnotations: {'a/b/c': x}}", "InvalidLabel", "podAnnotations key 'a/b/c'"),
            semantic(
                "{r: {packages: [data.table, data.table]}}",
                "InvalidR",
                "r.packages lists 'data.table'"),
            semantic(
                "{r: {repos: ['https://a.example', 'https://a.example']}}",
                "InvalidR",
                "r.repos lists"),
            semantic(
                "{sparkConf: {spark.app.name: \"a\\nspark.master=local\"}}",
                "InvalidSparkConf",
                "single line"));
    List<Row> named = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      named.add(
          new Row(
              r.name() != null ? r.name() : "bad-" + i,
              r.spec(),
              r.layer(),
              r.reasonOrField(),
              r.fragment()));
    }
    return named.stream();
  }

  @BeforeAll
  static void start() {
    logs = LogCapture.attach();
    harness = new OperatorHarness("fault-malformed").start();
  }

  @AfterAll
  static void stop() {
    harness.close();
    logs.close();
  }

  @Test
  @Order(0)
  void theTableIsLargeAndEveryRowIsInvalidOnACurrentApiServer() {
    List<Row> rows = rows().toList();
    assertThat(rows).hasSizeGreaterThanOrEqualTo(40);
    assertThat(rows).filteredOn(Row::admitted).hasSizeGreaterThanOrEqualTo(20);
    assertThat(rows).filteredOn(r -> r.layer() == Layer.OPERATOR).hasSizeGreaterThanOrEqualTo(10);
    assertThat(rows).filteredOn(r -> !r.admitted()).hasSizeGreaterThanOrEqualTo(20);
    CrdSchema schema = CrdSchema.generated();
    for (Row r : rows) {
      boolean semantic = r.layer() == Layer.OPERATOR;
      List<String> errors =
          schema.validate(Map.of("metadata", Map.of("name", r.name()), "spec", specMap(r.spec())));
      if (semantic) {
        assertThat(errors).as("%s is valid for the CRD, only the operator refuses it", r).isEmpty();
      } else {
        assertThat(errors).as("a current apiserver refuses %s", r).isNotEmpty();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  @Order(1)
  void malformedSpecIsRefusedOrStalled(Row row) {
    if (!row.admitted()) {
      KubernetesClientException e =
          catchThrowableOfType(KubernetesClientException.class, () -> create(row));
      assertThat(e).as("the apiserver refuses %s", row).isNotNull();
      assertThat(e.getCode()).isEqualTo(422);
      assertThat(e.getStatus().getMessage()).contains(row.reasonOrField()).contains(row.fragment());
      assertThat(harness.get(row.name())).isNull();
      return;
    }
    create(row);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              RSparkCluster c = harness.get(row.name());
              assertThat(c.getStatus()).as("status of %s", row).isNotNull();
              var stalled = harness.condition(row.name(), Conditions.STALLED);
              assertThat(stalled.getStatus()).isEqualTo("True");
              assertThat(stalled.getReason()).isEqualTo(row.reasonOrField());
              assertThat(stalled.getMessage()).contains(row.fragment());
              assertThat(stalled.getObservedGeneration())
                  .isEqualTo(c.getMetadata().getGeneration());
              assertThat(harness.condition(row.name(), Conditions.READY).getStatus())
                  .isEqualTo("False");
              assertThat(c.getStatus().phase).isEqualTo(ClusterPhase.Failed);
            });
    assertThat(harness.events(row.name()))
        .anySatisfy(
            e -> {
              assertThat(e.getReason()).isEqualTo("InvalidSpec");
              assertThat(e.getType()).isEqualTo("Warning");
            });
    STALLED.add(row.name());
  }

  @Test
  @Order(2)
  void theOperatorCreatedAndDeletedNothingForThem() throws Exception {
    assertThat(STALLED).as("clusters that reached the operator").hasSizeGreaterThanOrEqualTo(20);
    // Let anything the operator might still do for them happen first.
    Thread.sleep(2000);
    List<RequestCounter.Request> writes =
        harness.requests().stream().filter(RequestCounter.Request::isWrite).toList();
    assertThat(writes)
        .as("the operator wrote status and Events")
        .anyMatch(r -> r.uri().contains("/rsparkclusters/") && r.uri().contains("/status"))
        .anyMatch(r -> r.uri().contains("/events"));
    assertThat(writes)
        .as("writes other than status and Events")
        .allMatch(
            r ->
                (r.method().equals("POST") && r.uri().matches(".*/namespaces/[^/]+/events(\\?.*)?"))
                    || (r.method().equals("PATCH")
                        && r.uri().matches(".*/rsparkclusters/[^/]+/status(\\?.*)?")));
    assertThat(Invariants.labelledObjects(harness.client(), harness.namespace())).isEmpty();
    assertThat(harness.client().pods().inNamespace(harness.namespace()).list().getItems())
        .isEmpty();
  }

  @Test
  @Order(3)
  void aStalledClusterFixedConvergesWithTheUsualGuarantees() {
    String name =
        "bad-"
            + rows()
                .toList()
                .indexOf(
                    rows()
                        .filter(r -> r.spec().contains("spark.master: 'local[2]'"))
                        .findFirst()
                        .orElseThrow());
    assertThat(STALLED).contains(name);
    // A full update: a JSON patch from the typed object would replace fields (workers) that the
    // stored, untyped spec does not have.
    RSparkCluster fixed = harness.get(name);
    fixed.getSpec().sparkConf.remove("spark.master");
    fixed.getSpec().workers.replicas = 2;
    harness.client().resource(fixed).update();
    Invariants.assertHealthyEnd(harness, logs, name);
  }

  private static GenericKubernetesResource create(Row row) {
    GenericKubernetesResource cluster = new GenericKubernetesResource();
    cluster.setApiVersion(RSparkCluster.GROUP + "/" + RSparkCluster.VERSION);
    cluster.setKind("RSparkCluster");
    cluster.setMetadata(new ObjectMetaBuilder().withName(row.name()).build());
    Map<String, Object> spec = specMap(row.spec());
    spec.putIfAbsent("image", TestClusters.IMAGE);
    cluster.setAdditionalProperty("spec", spec);
    return harness
        .client()
        .genericKubernetesResources(RSPARK_CLUSTERS)
        .inNamespace(harness.namespace())
        .resource(cluster)
        .create();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> specMap(String yaml) {
    try {
      return YAML.readValue(yaml, Map.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(yaml, e);
    }
  }
}
