package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.operator.api.SparkVersion;
import io.rspark.operator.spark.SparkLine;
import io.rspark.operator.spark.SparkLines;
import io.rspark.operator.status.Conditions;
import io.rspark.operator.testing.PodFixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidateStepTest {
  private final StepFixtures f = new StepFixtures();
  private final ValidateStep step = new ValidateStep(SparkLines.everyLine(PodFixtures.IMAGE));

  @Test
  void aValidSpecGoesOnWithoutAStatus() {
    Reconciliation r = f.reconciliation(PodFixtures.cluster(2), List.of());
    assertThat(step.reconcile(r)).isEqualTo(ReconcileProgress.proceed());
    assertThat(r.outcome(java.util.Optional.empty()).isNoUpdate()).isTrue();
    assertThat(f.events.recorded).isEmpty();
  }

  @Test
  void anInvalidSpecEndsTheReconcileWithEveryProblemOnceAsAnEvent() {
    var cluster = PodFixtures.cluster(2);
    cluster.getSpec().sparkConf =
        new java.util.TreeMap<>(
            java.util.Map.of("spark.master", "local[*]", "spark.authenticate", "false"));
    Reconciliation r = f.reconciliation(cluster, List.of());

    assertThat(step.reconcile(r)).isEqualTo(ReconcileProgress.done());
    var status = StepFixtures.patchedStatus(r);
    var stalled = StepFixtures.condition(status, Conditions.STALLED);
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getMessage()).contains("'spark.authenticate'").contains("'spark.master'");
    assertThat(f.events.reasons()).containsExactly("InvalidSpec");
    assertThat(f.writer.writes).isEmpty();

    cluster.setStatus(status);
    step.reconcile(f.reconciliation(cluster, List.of()));
    assertThat(f.events.reasons()).as("no second Event for the same problems").hasSize(1);
  }

  /**
   * A cluster of a line the operator has no image for (its setting is empty) stalls with the lines
   * that have one, and nothing is rendered; naming an image or a configured line lets it go on.
   */
  @Test
  void aLineWithoutImageStallsTheClustersThatNameNoImageAndSaysWhichLinesHaveOne() {
    var lines =
        new SparkLines(
            SparkLine.SPARK_3_5,
            Map.of(SparkLine.SPARK_3_5, "r/x:3.5.6-r4", SparkLine.SPARK_4_2, ""));
    var validate = new ValidateStep(lines);
    var cluster = PodFixtures.cluster(2);
    cluster.getSpec().image = null;
    cluster.getSpec().sparkVersion = SparkVersion.V4_2;
    Reconciliation r = f.reconciliation(cluster, List.of());

    assertThat(validate.reconcile(r)).isEqualTo(ReconcileProgress.done());
    var stalled = StepFixtures.condition(StepFixtures.patchedStatus(r), Conditions.STALLED);
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getReason()).isEqualTo("NoImageForSparkVersion");
    assertThat(stalled.getMessage())
        .contains("Spark line 4.2 has no default image in this operator")
        .contains("rspark.image.spark-4.2 is empty")
        .contains("lines with a default image: 3.5; or set spec.image");
    assertThat(f.writer.writes).isEmpty();

    cluster.getSpec().image = "r/x:4.2.0-r4";
    assertThat(validate.reconcile(f.reconciliation(cluster, List.of())))
        .isEqualTo(ReconcileProgress.proceed());
    cluster.getSpec().image = null;
    cluster.getSpec().sparkVersion = SparkVersion.V3_5;
    assertThat(validate.reconcile(f.reconciliation(cluster, List.of())))
        .isEqualTo(ReconcileProgress.proceed());
  }

  @Test
  void theDefaultLineWithoutImageIsNamedAsTheDefault() {
    var lines = new SparkLines(SparkLine.SPARK_3_5, Map.of());
    var cluster = PodFixtures.cluster(0);
    cluster.getSpec().image = null;
    cluster.getSpec().sparkVersion = null;

    assertThat(SpecValidator.missingImage(cluster, lines))
        .hasValueSatisfying(
            p ->
                assertThat(p.message())
                    .contains("Spark line 3.5 (the operator's default line)")
                    .contains("it has a default image for no line, so spec.image must be set"));
  }
}
