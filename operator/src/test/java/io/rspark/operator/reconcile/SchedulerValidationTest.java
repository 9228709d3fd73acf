package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.rspark.operator.api.AutoscalingSpec;
import io.rspark.operator.api.ComputeResources;
import io.rspark.operator.api.ExecutorsSpec;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.api.Scheduler;
import io.rspark.operator.resources.AuthSecretFactory;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.testing.TestClusters;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the operator refuses about {@code scheduler} and {@code executors} itself: a 1.20 API server
 * has no CEL, so these reach the operator.
 */
class SchedulerValidationTest {
  private static RSparkCluster kubernetes() {
    RSparkCluster c = TestClusters.cluster("k", 0);
    c.getMetadata().setNamespace("ns");
    c.getSpec().scheduler = Scheduler.KUBERNETES;
    return c;
  }

  private static List<String> messages(RSparkCluster c) {
    return SpecValidator.validate(c).stream().map(p -> p.reason() + ": " + p.message()).toList();
  }

  @Test
  void aPlainKubernetesClusterIsValid() {
    assertThat(SpecValidator.validate(kubernetes())).isEmpty();
    RSparkCluster sized = kubernetes();
    sized.getSpec().executors = new ExecutorsSpec();
    sized.getSpec().executors.minExecutors = 2;
    sized.getSpec().executors.maxExecutors = 2;
    sized.getSpec().executors.idleTimeout = "2m";
    sized.getSpec().executors.resources = new ComputeResources("1", "4Gi");
    assertThat(SpecValidator.validate(sized)).isEmpty();
  }

  @Test
  void workersAndExecutorsDoNotMix() {
    RSparkCluster withWorkers = kubernetes();
    withWorkers.getSpec().workers.replicas = 3;
    assertThat(messages(withWorkers))
        .containsExactly(
            "InvalidScheduler: with scheduler: kubernetes Spark creates executor pods itself:"
                + " workers.replicas must be 0 (size them with executors)");
    RSparkCluster standalone = TestClusters.cluster("s", 2);
    standalone.getSpec().executors = new ExecutorsSpec();
    assertThat(messages(standalone))
        .containsExactly(
            "InvalidScheduler: executors is only used with scheduler: kubernetes (standalone mode"
                + " sizes workers)");
  }

  @Test
  void workerAutoscalingIsNotForKubernetesMode() {
    RSparkCluster c = kubernetes();
    c.getSpec().workers.autoscaling = new AutoscalingSpec(1, 4, "5m");
    assertThat(messages(c))
        .containsExactly(
            "InvalidScheduler: with scheduler: kubernetes workers.autoscaling is not used: Spark's"
                + " dynamic allocation scales executor pods between executors.minExecutors and"
                + " executors.maxExecutors");
  }

  @Test
  void executorsAreChecked() {
    RSparkCluster c = kubernetes();
    c.getSpec().executors = new ExecutorsSpec();
    c.getSpec().executors.minExecutors = 4;
    c.getSpec().executors.maxExecutors = 3;
    c.getSpec().executors.idleTimeout = "1 minute";
    c.getSpec().executors.resources = new ComputeResources("1", "512Mi");
    assertThat(messages(c))
        .containsExactlyInAnyOrder(
            "InvalidExecutors: executors.minExecutors 4 is above executors.maxExecutors 3",
            "InvalidExecutors: executors.idleTimeout '1 minute' must be whole seconds, minutes or"
                + " hours such as 60s, 5m or 1h",
            "InsufficientMemory: executors.resources.memory 512Mi is below the 1Gi a Spark JVM with"
                + " R beside it needs");
  }

  @Test
  void aSwitchIsCaughtFromTheModeTheSecretRecords() {
    RSparkCluster made = kubernetes();
    Secret kubernetesSecret = AuthSecretFactory.create(ClusterModel.of(made, "img"));
    RSparkCluster standalone = TestClusters.cluster("k", 0);
    Secret standaloneSecret = AuthSecretFactory.create(ClusterModel.of(standalone, "img"));

    assertThat(SpecValidator.schedulerSwitch(made, Optional.of(kubernetesSecret))).isEmpty();
    assertThat(SpecValidator.schedulerSwitch(standalone, Optional.of(standaloneSecret))).isEmpty();
    assertThat(SpecValidator.schedulerSwitch(made, Optional.empty()))
        .as("a new cluster has no Secret yet")
        .isEmpty();
    assertThat(SpecValidator.schedulerSwitch(standalone, Optional.of(kubernetesSecret)))
        .hasValueSatisfying(
            p -> {
              assertThat(p.reason()).isEqualTo("SchedulerChanged");
              assertThat(p.message())
                  .isEqualTo(
                      "scheduler cannot change on an existing cluster: it was created with"
                          + " 'kubernetes', the spec asks for 'standalone'; set it back, or create a"
                          + " new cluster");
            });
    assertThat(SpecValidator.schedulerSwitch(made, Optional.of(standaloneSecret)))
        .hasValueSatisfying(p -> assertThat(p.message()).contains("created with 'standalone'"));
  }
}
