package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.api.Scheduler;
import io.rspark.operator.config.OperatorPeer;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.resources.SparkConfigMapFactory;
import io.rspark.operator.testing.PodFixtures;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterObjectsStepTest {
  private final StepFixtures f = new StepFixtures();
  private final ClusterObjectsStep step =
      new ClusterObjectsStep(new OperatorPeer(Map.of("app", "rspark-operator"), "ops"));

  private Reconciliation modelled(RSparkCluster cluster, ObservedObjects observed) {
    Reconciliation r = f.reconciliation(cluster, observed);
    r.model(ClusterModel.of(cluster, PodFixtures.IMAGE, cluster.getSpec().workers.replicas));
    return r;
  }

  @Test
  void aNewStandaloneClusterGetsItsSecretConfigServiceAndPolicy() {
    Reconciliation r = modelled(PodFixtures.cluster(2), ObservedObjects.ofPods(List.of()));
    assertThat(step.reconcile(r)).isEqualTo(ReconcileProgress.proceed());
    assertThat(f.writer.writes)
        .containsExactly(
            "create Secret spark-spark-auth",
            "apply ConfigMap spark-spark-config",
            "apply Service spark-driver",
            "apply NetworkPolicy spark-cluster");
    assertThat(r.secretUid()).isEqualTo(RecordingObjectWriter.CREATED_SECRET_UID);
    assertThat(f.events.recorded).as("a first config is no update").isEmpty();
  }

  @Test
  void theKubernetesSchedulersAccountRoleAndTemplateComeBeforeTheService() {
    RSparkCluster cluster = PodFixtures.cluster(0);
    cluster.getSpec().scheduler = Scheduler.KUBERNETES;
    Reconciliation r = modelled(cluster, ObservedObjects.ofPods(List.of()));
    step.reconcile(r);
    assertThat(f.writer.writes)
        .containsExactly(
            "create Secret spark-spark-auth",
            "apply ConfigMap spark-spark-config",
            "apply ServiceAccount spark-driver",
            "apply Role spark-driver",
            "apply RoleBinding spark-driver",
            "apply ConfigMap spark-executor-template",
            "apply Service spark-driver",
            "apply NetworkPolicy spark-cluster");
  }

  @Test
  void unchangedObjectsAreNotWrittenAndAChangedConfigIsAnEvent() {
    RSparkCluster cluster = PodFixtures.cluster(2);
    ClusterModel before = ClusterModel.of(cluster, PodFixtures.IMAGE, 2);
    ConfigMap config = SparkConfigMapFactory.create(before);
    io.rspark.operator.resources.SpecHash.stamp(config);
    var secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName("spark-spark-auth")
            .withUid("s-1")
            .endMetadata()
            .build();
    var observed =
        new ObservedObjects(
            List.of(),
            List.of(),
            Optional.of(secret),
            Map.of(config.getMetadata().getName(), config),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    Reconciliation same = modelled(cluster, observed);
    step.reconcile(same);
    assertThat(same.secretUid()).isEqualTo("s-1");
    assertThat(f.writer.writes)
        .containsExactly("apply Service spark-driver", "apply NetworkPolicy spark-cluster");
    assertThat(f.events.recorded).isEmpty();

    cluster.getSpec().sparkConf = Map.of("spark.sql.shuffle.partitions", "64");
    step.reconcile(modelled(cluster, observed));
    assertThat(f.writer.writes).contains("apply ConfigMap spark-spark-config");
    assertThat(f.events.recorded)
        .containsExactly("ConfigUpdated: spark-defaults.conf rendered anew");
  }
}
