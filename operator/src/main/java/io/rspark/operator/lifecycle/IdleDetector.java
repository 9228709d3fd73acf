package io.rspark.operator.lifecycle;

import io.rspark.operator.spark.DriverActivity;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides whether a cluster has been idle long enough to stop: no Spark job, no running Spark
 * Connect operation and no attached R session since {@code idleAfter}. A pure function of the
 * driver's latest report, the last activity known before and the clock. Without a fresh report
 * nothing is idle: the operator never stops a cluster it cannot see.
 */
public final class IdleDetector {
  private IdleDetector() {}

  /**
   * @param lastActivity the latest moment the cluster was known busy (or started), carried over
   * @param idle true when the pods should be removed now
   */
  public record Verdict(Instant lastActivity, boolean idle, String message) {}

  /**
   * @param known the last activity recorded before (status.lastActivityTime, or when the pods were
   *     last started)
   * @param driver the bridge's latest fresh report; empty when unreadable or stale
   */
  public static Verdict judge(
      Instant known, Optional<DriverActivity> driver, Duration idleAfter, Instant now) {
    if (driver.isEmpty()) {
      return new Verdict(known, false, "no fresh activity report from the driver");
    }
    DriverActivity activity = driver.get();
    if (activity.activeJobs() > 0
        || activity.attachedRSessions() > 0
        || activity.connectOperations() > 0) {
      return new Verdict(
          now,
          false,
          activity.activeJobs()
              + " Spark job(s) running, "
              + activity.attachedRSessions()
              + " R session(s) attached, "
              + activity.connectOperations()
              + " Spark Connect operation(s) running");
    }
    Instant last =
        activity.lastActivity() != null && activity.lastActivity().isAfter(known)
            ? activity.lastActivity()
            : known;
    Duration quiet = Duration.between(last, now);
    boolean idle = quiet.compareTo(idleAfter) >= 0;
    return new Verdict(
        last,
        idle,
        idle
            ? "no Spark job, no R session and no Spark Connect operation for "
                + quiet.toMinutes()
                + " minute(s) (idleMinutes "
                + idleAfter.toMinutes()
                + ")"
            : "quiet for " + quiet.toSeconds() + " s of " + idleAfter.toSeconds() + " s");
  }
}
