package io.rspark.operator.reconcile;

/**
 * Ends the reconcile with the pods removed while the cluster must not run: spec.suspend, or stopped
 * for being idle and the spec not changed since. The objects written before stay, so a resume
 * starts only pods.
 */
final class SuspendStep implements ReconcileStep {
  private final Suspension suspension;

  SuspendStep(Suspension suspension) {
    this.suspension = suspension;
  }

  @Override
  public ReconcileProgress reconcile(Reconciliation r) {
    return r.lifecycle().suspended() ? suspension.suspend(r, null) : ReconcileProgress.proceed();
  }
}
