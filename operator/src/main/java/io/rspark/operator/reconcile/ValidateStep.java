package io.rspark.operator.reconcile;

import io.rspark.operator.reconcile.ClusterEvents.Reason;
import io.rspark.operator.spark.SparkLines;
import io.rspark.operator.status.ClusterStatusFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Refuses a spec the operator cannot realise (what admission could not judge, or a cluster where
 * admission is older than CEL), or one whose Spark line has no image in this operator: status
 * InvalidSpec with every problem, an Event, and nothing touched until the spec changes.
 */
final class ValidateStep implements ReconcileStep {
  private final SparkLines lines;

  ValidateStep(SparkLines lines) {
    this.lines = lines;
  }

  @Override
  public ReconcileProgress reconcile(Reconciliation r) {
    List<SpecProblem> problems = new ArrayList<>(SpecValidator.validate(r.cluster()));
    SpecValidator.schedulerSwitch(r.cluster(), r.observed().secret()).ifPresent(problems::add);
    SpecValidator.missingImage(r.cluster(), lines).ifPresent(problems::add);
    if (problems.isEmpty()) {
      return ReconcileProgress.proceed();
    }
    String all = problems.stream().map(SpecProblem::message).collect(Collectors.joining("; "));
    r.report(
        ClusterStatusFactory.invalidSpec(
            r.cluster(), problems.get(0).reason(), all, r.observed().pods(), r.now()),
        Reason.InvalidSpec,
        all);
    return ReconcileProgress.done();
  }
}
