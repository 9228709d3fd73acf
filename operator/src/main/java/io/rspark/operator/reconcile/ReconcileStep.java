package io.rspark.operator.reconcile;

/**
 * One step of a reconcile: it does one thing with the reconciliation (reads what earlier steps
 * decided, decides or writes its own part) and says how the reconcile goes on. No step blocks or
 * sleeps; a step that must wait asks for a requeue.
 */
interface ReconcileStep {
  ReconcileProgress reconcile(Reconciliation reconciliation);
}
