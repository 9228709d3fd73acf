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
import io.rspark.operator.api.MalformedSpecs;
import io.rspark.operator.api.MalformedSpecs.Layer;
import io.rspark.operator.api.MalformedSpecs.Row;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.status.Conditions;
import io.rspark.operator.testing.LogCapture;
import io.rspark.operator.testing.OperatorHarness;
import io.rspark.operator.testing.RequestCounter;
import io.rspark.operator.testing.TestClusters;
import java.time.Duration;
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
 * The malformed specs of {@link MalformedSpecs} against the running operator on the real 1.20
 * apiserver, a cluster older than CEL and strict field validation. What the structural schema
 * catches is refused at admission; what only CEL (dropped before 1.25) or the operator's validator
 * catches is accepted and must end Stalled with its reason. Either way the operator creates and
 * deletes nothing for them. Unknown fields are left out: 1.20 drops them before anyone sees them.
 * An empty string where CEL refuses one 1.20 refuses too, as a null.
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

  static Stream<Row> rows() {
    return MalformedSpecs.rows().stream().filter(r -> r.layer() != Layer.UNKNOWN_FIELD);
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

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  @Order(1)
  void malformedSpecIsRefusedOrStalled(Row row) {
    if (!row.stalledOn120()) {
      KubernetesClientException e =
          catchThrowableOfType(KubernetesClientException.class, () -> create(row));
      assertThat(e).as("the apiserver refuses %s", row).isNotNull();
      assertThat(e.getCode()).isEqualTo(422);
      // 1.20 words some schema errors differently from 1.36 and leaves list indexes out of its
      // paths: the field is what both say.
      assertThat(e.getStatus().getMessage()).contains(row.field().replaceAll("\\[[0-9]+]", ""));
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
              assertThat(stalled.getReason()).isEqualTo(row.reason());
              assertThat(stalled.getMessage()).contains(row.operatorMessage());
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
    assertThat(STALLED)
        .as("clusters that reached the operator")
        .hasSameSizeAs(rows().filter(Row::stalledOn120).toList());
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
        rows()
            .filter(r -> r.spec().contains("spark.master: 'local[2]'"))
            .findFirst()
            .orElseThrow()
            .name();
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
    // A row about the image or the line keeps its own; the others get an image of line 3.5.
    if (!spec.containsKey("image")) {
      spec.put("image", TestClusters.IMAGE);
      spec.putIfAbsent("sparkVersion", "3.5");
    }
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
