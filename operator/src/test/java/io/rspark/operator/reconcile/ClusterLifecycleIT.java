package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.rspark.operator.api.ClusterPhase;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.status.Conditions;
import io.rspark.operator.testing.LogCapture;
import io.rspark.operator.testing.OperatorHarness;
import io.rspark.operator.testing.RequestCounter;
import io.rspark.operator.testing.TestClusters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClusterLifecycleIT {
  private static OperatorHarness harness;
  private static LogCapture logs;

  @BeforeAll
  static void start() {
    logs = LogCapture.attach();
    harness = new OperatorHarness("lifecycle").start();
  }

  @AfterAll
  static void stop() {
    harness.close();
    logs.close();
  }

  @Test
  void createsOwnedLabelledObjectsAndBecomesReady() {
    RSparkCluster created = harness.create(TestClusters.cluster("alpha", 2));
    await().atMost(Duration.ofSeconds(20)).until(() -> harness.pods("alpha").size() == 3);
    var client = harness.client();
    String ns = harness.namespace();
    List<HasMetadata> objects =
        List.of(
            client.secrets().inNamespace(ns).withName("alpha-spark-auth").get(),
            client.configMaps().inNamespace(ns).withName("alpha-spark-config").get(),
            client.services().inNamespace(ns).withName("alpha-driver").get(),
            client.network().v1().networkPolicies().inNamespace(ns).withName("alpha-cluster").get(),
            client.pods().inNamespace(ns).withName("alpha-driver").get(),
            client.pods().inNamespace(ns).withName("alpha-worker-0").get(),
            client.pods().inNamespace(ns).withName("alpha-worker-1").get());
    for (HasMetadata o : objects) {
      assertThat(o).as("object exists").isNotNull();
      assertThat(o.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(
              ref -> {
                assertThat(ref.getUid()).isEqualTo(created.getMetadata().getUid());
                assertThat(ref.getController()).isTrue();
              });
      assertThat(o.getMetadata().getLabels())
          .containsEntry("rspark.io/cluster", "alpha")
          .containsEntry("app.kubernetes.io/managed-by", "rspark-operator")
          .containsKey("rspark.io/role")
          .containsKey("app.kubernetes.io/instance");
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              RSparkCluster c = harness.get("alpha");
              assertThat(harness.condition("alpha", Conditions.READY)).isNotNull();
              assertThat(harness.condition("alpha", Conditions.READY).getStatus())
                  .isEqualTo("False");
              assertThat(c.getStatus().phase).isEqualTo(ClusterPhase.Pending);
            });

    harness.markAllReady("alpha");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              RSparkCluster c = harness.get("alpha");
              assertThat(harness.condition("alpha", Conditions.READY).getStatus())
                  .isEqualTo("True");
              assertThat(c.getStatus().phase).isEqualTo(ClusterPhase.Running);
              assertThat(c.getStatus().workers.ready).isEqualTo(2);
              assertThat(c.getStatus().observedGeneration)
                  .isEqualTo(c.getMetadata().getGeneration());
              assertThat(c.getStatus().endpoints.master)
                  .isEqualTo("spark://alpha-driver." + harness.namespace() + ".svc:7077");
            });
    assertThat(harness.events("alpha"))
        .extracting(e -> e.getReason())
        .contains("PodsCreated", "ClusterReady");
  }

  @Test
  void authSecretNeverLeavesItsSecretAndFileMount() {
    harness.create(TestClusters.cluster("hush", 1));
    await().atMost(Duration.ofSeconds(20)).until(() -> harness.pods("hush").size() == 2);
    harness.markAllReady("hush");
    await().atMost(Duration.ofSeconds(20)).until(() -> harness.isTrue("hush", Conditions.READY));
    String ns = harness.namespace();
    Secret secret = harness.client().secrets().inNamespace(ns).withName("hush-spark-auth").get();
    String value =
        new String(
            Base64.getDecoder().decode(secret.getData().get("spark-auth-secret")),
            StandardCharsets.UTF_8);
    assertThat(value).matches("[0-9a-f]{64}");

    assertThat(Serialization.asJson(harness.get("hush"))).doesNotContain(value);
    assertThat(Serialization.asJson(harness.events("hush"))).doesNotContain(value);
    assertThat(Serialization.asJson(harness.pods("hush"))).doesNotContain(value);
    assertThat(
            Serialization.asJson(
                harness.client().configMaps().inNamespace(ns).withName("hush-spark-config").get()))
        .doesNotContain(value);
    assertThat(logs.lines()).isNotEmpty().noneMatch(l -> l.contains(value));
  }

  @Test
  void informersListAndWatchOnlyObjectsCarryingTheOperatorsLabel() {
    List<String> ownedKindPaths =
        List.of("/pods", "/secrets", "/configmaps", "/services", "/networkpolicies");
    List<RequestCounter.Request> reads =
        harness.requests().stream()
            .filter(r -> r.method().equals("GET"))
            .filter(r -> ownedKindPaths.stream().anyMatch(k -> r.uri().contains(k + "?")))
            .toList();
    assertThat(reads).isNotEmpty();
    assertThat(reads)
        .allSatisfy(
            r ->
                assertThat(r.uri())
                    .contains("labelSelector=app.kubernetes.io%2Fmanaged-by%3Drspark-operator"));
  }

  @Test
  void noOpReconcileOfAConvergedClusterWritesNothing() throws Exception {
    harness.create(TestClusters.cluster("quiet", 1));
    await().atMost(Duration.ofSeconds(20)).until(() -> harness.pods("quiet").size() == 2);
    harness.markAllReady("quiet");
    await().atMost(Duration.ofSeconds(20)).until(() -> harness.isTrue("quiet", Conditions.READY));
    Thread.sleep(1500);
    int before = harness.requests().size();
    long writesBefore = harness.requests().stream().filter(r -> r.isWrite()).count();
    int reconcilesBefore = harness.reconciliations();
    // A change to an owned pod that does not matter to the operator still triggers a reconcile.
    harness
        .client()
        .pods()
        .inNamespace(harness.namespace())
        .withName("quiet-driver")
        .edit(
            p -> {
              p.getMetadata().getAnnotations().put("test/poke", "1");
              return p;
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> harness.reconciliations() > reconcilesBefore);
    Thread.sleep(1000);
    long writesAfter = harness.requests().stream().filter(r -> r.isWrite()).count();
    assertThat(writesAfter - writesBefore)
        .as(
            "writes after a no-op reconcile; requests: %s",
            harness.requests().subList(before, harness.requests().size()))
        .isZero();
  }
}
