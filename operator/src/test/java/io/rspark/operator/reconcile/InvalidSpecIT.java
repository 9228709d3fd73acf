package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.rspark.operator.api.ClusterPhase;
import io.rspark.operator.api.ComputeResources;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.status.Conditions;
import io.rspark.operator.testing.OperatorHarness;
import io.rspark.operator.testing.TestClusters;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Specs the 1.20 API server accepts but the operator cannot realise end as Stalled with a reason,
 * and nothing that runs is touched.
 */
class InvalidSpecIT {
  private static OperatorHarness harness;

  @BeforeAll
  static void start() {
    harness = new OperatorHarness("invalid").start();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void invalidEditStallsTheClusterAndKeepsItsPods() {
    harness.create(TestClusters.cluster("keep", 1));
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              harness.markAllReady("keep");
              assertThat(harness.isTrue("keep", Conditions.READY)).isTrue();
            });
    List<String> uids = harness.pods("keep").stream().map(p -> p.getMetadata().getUid()).toList();

    harness.edit(
        "keep",
        c -> {
          c.getSpec().workers.resources = new ComputeResources("1", "512Mi");
          c.getSpec().sparkConf.put("spark.master", "local[2]");
        });
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              var stalled = harness.condition("keep", Conditions.STALLED);
              assertThat(stalled.getStatus()).isEqualTo("True");
              assertThat(stalled.getReason()).isEqualTo("OperatorOwnedSparkConf");
              assertThat(stalled.getMessage())
                  .contains("sparkConf key 'spark.master' is set by the operator")
                  .contains("workers.resources.memory 512Mi is below the 1Gi");
              assertThat(harness.condition("keep", Conditions.READY).getStatus())
                  .isEqualTo("False");
              assertThat(harness.get("keep").getStatus().phase).isEqualTo(ClusterPhase.Failed);
              assertThat(harness.get("keep").getStatus().observedGeneration)
                  .isEqualTo(harness.get("keep").getMetadata().getGeneration());
            });
    assertThat(harness.events("keep")).anyMatch(e -> "InvalidSpec".equals(e.getReason()));
    assertThat(harness.pods("keep"))
        .extracting(p -> p.getMetadata().getUid())
        .containsExactlyInAnyOrderElementsOf(uids);

    harness.edit(
        "keep",
        c -> {
          c.getSpec().workers.resources = new ComputeResources("1", "2Gi");
          c.getSpec().sparkConf.remove("spark.master");
        });
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              assertThat(harness.condition("keep", Conditions.STALLED).getStatus())
                  .isEqualTo("False");
              assertThat(harness.isTrue("keep", Conditions.READY)).isTrue();
            });
  }

  @Test
  void podTheApiServerRefusesStallsTheClusterUntilTheSpecIsFixed() {
    RSparkCluster cluster = TestClusters.cluster("refused", 0);
    // Admission of the RSparkCluster cannot see this; the API server refuses the pod.
    cluster.getSpec().tolerations =
        List.of(
            new TolerationBuilder()
                .withKey("dedicated")
                .withOperator("Exists")
                .withValue("spark")
                .build());
    harness.create(cluster);
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              var stalled = harness.condition("refused", Conditions.STALLED);
              assertThat(stalled).isNotNull();
              assertThat(stalled.getStatus()).isEqualTo("True");
              assertThat(stalled.getReason()).isEqualTo("ObjectInvalid");
              assertThat(stalled.getMessage()).contains("refused-driver").contains("tolerations");
              assertThat(harness.get("refused").getStatus().phase).isEqualTo(ClusterPhase.Failed);
            });
    assertThat(harness.events("refused")).anyMatch(e -> "ObjectRejected".equals(e.getReason()));

    harness.edit("refused", c -> c.getSpec().tolerations.get(0).setValue(null));
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              harness.markAllReady("refused");
              assertThat(harness.isTrue("refused", Conditions.READY)).isTrue();
            });
  }

  @Test
  void imagePullFailureIsReportedAsStalled() {
    harness.create(TestClusters.cluster("pull", 0));
    await().atMost(Duration.ofSeconds(15)).until(() -> harness.pods("pull").size() == 1);
    Pod driver = harness.pods("pull").get(0);
    driver.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
            .withPhase("Pending")
            .addNewContainerStatus()
            .withName("spark")
            .withImage(TestClusters.IMAGE)
            .withImageID("")
            .withReady(false)
            .withRestartCount(0)
            .withNewState()
            .withNewWaiting()
            .withReason("ImagePullBackOff")
            .withMessage("Back-off pulling image")
            .endWaiting()
            .endState()
            .endContainerStatus()
            .build());
    harness.client().pods().inNamespace(harness.namespace()).resource(driver).updateStatus();
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              var stalled = harness.condition("pull", Conditions.STALLED);
              assertThat(stalled.getStatus()).isEqualTo("True");
              assertThat(stalled.getReason()).isEqualTo("ImagePullBackOff");
              assertThat(harness.condition("pull", Conditions.DRIVER_READY).getReason())
                  .isEqualTo("ImagePullBackOff");
            });
  }
}
