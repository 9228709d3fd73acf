package io.rspark.operator.reconcile;

import java.time.Duration;
import java.util.Optional;

/**
 * What a step says about the rest of the reconcile: go on to the next step or end here, and when to
 * reconcile again even if nothing changes. Requeues of steps that go on add up to the earliest; a
 * step that ends the reconcile decides the requeue alone, because what the others asked for was
 * about work that is no longer done (an idle stop ends the polling of the Spark readings).
 *
 * @param continues whether the next step runs
 * @param requeueAfter when to reconcile again without an event; empty for only on events
 */
record ReconcileProgress(boolean continues, Optional<Duration> requeueAfter) {
  private static final ReconcileProgress PROCEED = new ReconcileProgress(true, Optional.empty());
  private static final ReconcileProgress DONE = new ReconcileProgress(false, Optional.empty());

  static ReconcileProgress proceed() {
    return PROCEED;
  }

  static ReconcileProgress proceedAndRequeueAfter(Duration after) {
    return new ReconcileProgress(true, Optional.of(after));
  }

  static ReconcileProgress done() {
    return DONE;
  }

  static ReconcileProgress doneAndRequeueAfter(Duration after) {
    return new ReconcileProgress(false, Optional.of(after));
  }

  /** The requeue of a reconcile that has gone through this step after {@code earlier}. */
  Optional<Duration> requeueAfter(Optional<Duration> earlier) {
    if (!continues || earlier.isEmpty()) {
      return requeueAfter;
    }
    if (requeueAfter.isEmpty()) {
      return earlier;
    }
    return Optional.of(
        requeueAfter.get().compareTo(earlier.get()) < 0 ? requeueAfter.get() : earlier.get());
  }
}
