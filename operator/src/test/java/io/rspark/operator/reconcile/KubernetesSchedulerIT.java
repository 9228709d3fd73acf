package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.rspark.operator.api.ExecutorsSpec;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.api.Scheduler;
import io.rspark.operator.resources.DriverPermissions;
import io.rspark.operator.resources.Labels;
import io.rspark.operator.spark.PodContract;
import io.rspark.operator.status.Conditions;
import io.rspark.operator.testing.OperatorHarness;
import io.rspark.operator.testing.PodSecurityStandards;
import io.rspark.operator.testing.TestClusters;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A {@code scheduler: kubernetes} cluster against the real API server: the driver's identity and
 * the executor template instead of workers; executor pods (here made as Spark makes them) counted
 * and left alone; a scheduler switch refused with a Stalled condition, as a 1.20 API server stores
 * it (no CEL).
 */
class KubernetesSchedulerIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static OperatorHarness harness;

  @BeforeAll
  static void start() {
    harness = new OperatorHarness("k8s-scheduler").start();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static RSparkCluster kubernetesCluster(String name) {
    RSparkCluster c = TestClusters.cluster(name, 0);
    c.getSpec().scheduler = Scheduler.KUBERNETES;
    c.getSpec().executors = new ExecutorsSpec();
    c.getSpec().executors.maxExecutors = 3;
    return c;
  }

  @Test
  void createsTheDriversIdentityAndTheTemplateAndNoWorkers() {
    harness.create(kubernetesCluster("kube"));
    KubernetesClient client = harness.client();
    String ns = harness.namespace();
    await()
        .atMost(TIMEOUT)
        .until(() -> client.pods().inNamespace(ns).withName("kube-driver").get() != null);

    ServiceAccount account = client.serviceAccounts().inNamespace(ns).withName("kube-driver").get();
    Role role = client.rbac().roles().inNamespace(ns).withName("kube-driver").get();
    RoleBinding binding =
        client.rbac().roleBindings().inNamespace(ns).withName("kube-driver").get();
    ConfigMap template =
        client.configMaps().inNamespace(ns).withName("kube-executor-template").get();
    assertThat(account).isNotNull();
    assertThat(role.getRules())
        .extracting(r -> r.getResources().get(0) + " " + r.getVerbs())
        .containsExactlyElementsOf(
            DriverPermissions.GRANTS.stream()
                .map(g -> g.resource() + " " + List.copyOf(g.verbs()))
                .toList());
    assertThat(binding.getRoleRef().getName()).isEqualTo("kube-driver");
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo("kube-driver");
              assertThat(s.getNamespace()).isEqualTo(ns);
            });
    Pod executorTemplate =
        Serialization.unmarshal(
            template.getData().get(PodContract.EXECUTOR_TEMPLATE_KEY), Pod.class);
    assertThat(PodSecurityStandards.restrictedViolations(executorTemplate.getSpec())).isEmpty();

    Pod driver = client.pods().inNamespace(ns).withName("kube-driver").get();
    assertThat(driver.getSpec().getServiceAccountName()).isEqualTo("kube-driver");
    assertThat(driver.getSpec().getAutomountServiceAccountToken()).isTrue();
    // The API server's ServiceAccount admission mounts the account's token into the stored pod.
    assertThat(driver.getSpec().getContainers().get(0).getVolumeMounts())
        .anySatisfy(
            m ->
                assertThat(m.getMountPath())
                    .isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount"));
    assertThat(driver.getSpec().getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .extracting(v -> v.getSecret().getSecretName())
        .anyMatch(name -> name.startsWith("kube-driver-token-"));
    assertThat(driver.getSpec().getContainers().get(0).getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo(PodContract.EXECUTOR_TEMPLATE_DIR));

    harness.markAllReady("kube");
    await().atMost(TIMEOUT).until(() -> harness.isTrue("kube", Conditions.READY));
    assertThat(harness.pods("kube")).singleElement();
    assertThat(harness.get("kube").getStatus().executors.running).isZero();
  }

  @Test
  void countsTheExecutorPodsSparkCreatesAndLeavesThemAlone() {
    harness.create(kubernetesCluster("busy"));
    KubernetesClient client = harness.client();
    String ns = harness.namespace();
    await()
        .atMost(TIMEOUT)
        .until(() -> client.pods().inNamespace(ns).withName("busy-driver").get() != null);
    harness.markAllReady("busy");
    await().atMost(TIMEOUT).until(() -> harness.isTrue("busy", Conditions.READY));

    Pod driver = client.pods().inNamespace(ns).withName("busy-driver").get();
    Pod template =
        Serialization.unmarshal(
            client
                .configMaps()
                .inNamespace(ns)
                .withName("busy-executor-template")
                .get()
                .getData()
                .get(PodContract.EXECUTOR_TEMPLATE_KEY),
            Pod.class);
    // What Spark's executor builder adds to the template: name, its labels, the driver as owner.
    Pod executor =
        new PodBuilder(template)
            .editMetadata()
            .withName("busy-exec-1")
            .withNamespace(ns)
            .addToLabels("spark-role", "executor")
            .addToLabels("spark-app-selector", "spark-0123")
            .addToLabels("spark-exec-id", "1")
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("v1")
                    .withKind("Pod")
                    .withName(driver.getMetadata().getName())
                    .withUid(driver.getMetadata().getUid())
                    .withController(true)
                    .build())
            .endMetadata()
            .build();
    client.resource(executor).create();
    harness.markReady(client.pods().inNamespace(ns).withName("busy-exec-1").get());

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> assertThat(harness.get("busy").getStatus().executors.running).isEqualTo(1));
    assertThat(client.pods().inNamespace(ns).withName("busy-exec-1").get().getMetadata())
        .as("the operator plans its own pods only")
        .satisfies(m -> assertThat(m.getDeletionTimestamp()).isNull());
    assertThat(harness.pods("busy"))
        .extracting(p -> p.getMetadata().getLabels().get(Labels.ROLE))
        .containsExactlyInAnyOrder("driver", "executor");

    client.pods().inNamespace(ns).withName("busy-exec-1").delete();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> assertThat(harness.get("busy").getStatus().executors.running).isZero());
  }

  @Test
  void switchingTheSchedulerIsRefusedWithAStalledCondition() {
    harness.create(kubernetesCluster("fixed"));
    KubernetesClient client = harness.client();
    String ns = harness.namespace();
    await()
        .atMost(TIMEOUT)
        .until(() -> client.pods().inNamespace(ns).withName("fixed-driver").get() != null);

    // A 1.20 API server has no CEL, so it stores the switch; the operator refuses it.
    editRetrying(
        "fixed",
        c -> {
          c.getSpec().scheduler = Scheduler.STANDALONE;
          c.getSpec().executors = null;
          c.getSpec().workers.replicas = 2;
        });
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var stalled = harness.condition("fixed", Conditions.STALLED);
              assertThat(stalled).isNotNull();
              assertThat(stalled.getStatus()).isEqualTo("True");
              assertThat(stalled.getReason()).isEqualTo("SchedulerChanged");
              assertThat(stalled.getMessage())
                  .contains(
                      "scheduler cannot change on an existing cluster: it was created with"
                          + " 'kubernetes', the spec asks for 'standalone'");
            });
    assertThat(harness.pods("fixed"))
        .as("nothing converted: no workers, the driver as it was")
        .singleElement()
        .satisfies(p -> assertThat(p.getMetadata().getName()).isEqualTo("fixed-driver"));
    assertThat(client.serviceAccounts().inNamespace(ns).withName("fixed-driver").get()).isNotNull();

    editRetrying(
        "fixed",
        c -> {
          c.getSpec().scheduler = Scheduler.KUBERNETES;
          c.getSpec().workers.replicas = 0;
        });
    await()
        .atMost(TIMEOUT)
        .untilAsserted(() -> assertThat(harness.isTrue("fixed", Conditions.STALLED)).isFalse());
  }

  /** The operator writes the status meanwhile: an edit may meet a newer resourceVersion. */
  private static void editRetrying(String name, Consumer<RSparkCluster> change) {
    await().atMost(TIMEOUT).ignoreExceptions().until(() -> harness.edit(name, change) != null);
  }
}
