package io.rspark.operator.pods;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exponential back-off for recreating pods that keep failing: 10 s after the first failure,
 * doubling up to a maximum. It is forgotten once the pod is ready again. Kept in memory: after an
 * operator restart a failing pod is retried at once, then backs off again. Entries of a deleted
 * cluster stay until the operator restarts (a few bytes per pod that failed).
 */
public final class PodBackoff {
  static final Duration FIRST_DELAY = Duration.ofSeconds(10);

  private record Failures(int count, Instant retryAt) {}

  private final Duration maxDelay;
  private final Map<String, Failures> failures = new ConcurrentHashMap<>();

  public PodBackoff(Duration maxDelay) {
    this.maxDelay = maxDelay;
  }

  /** Records that the pod failed at {@code now}; returns how long until it may be recreated. */
  public Duration recordFailure(String podKey, Instant now) {
    Failures next =
        failures.compute(
            podKey,
            (k, previous) -> {
              int count = previous == null ? 1 : previous.count() + 1;
              return new Failures(count, now.plus(delay(count)));
            });
    return Duration.between(now, next.retryAt());
  }

  /** Time left before the pod may be recreated, if it is backing off. */
  public Optional<Duration> remaining(String podKey, Instant now) {
    Failures f = failures.get(podKey);
    if (f == null || !now.isBefore(f.retryAt())) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, f.retryAt()));
  }

  public int failureCount(String podKey) {
    Failures f = failures.get(podKey);
    return f == null ? 0 : f.count();
  }

  public void forget(String podKey) {
    failures.remove(podKey);
  }

  /**
   * Forgets the entries under {@code prefix} (one cluster's) other than {@code keep}, so pods that
   * were scaled away leave nothing behind.
   */
  public void retainOnly(String prefix, Set<String> keep) {
    failures.keySet().removeIf(k -> k.startsWith(prefix) && !keep.contains(k));
  }

  private Duration delay(int count) {
    Duration d = FIRST_DELAY.multipliedBy(1L << Math.min(count - 1, 20));
    return d.compareTo(maxDelay) > 0 ? maxDelay : d;
  }
}
