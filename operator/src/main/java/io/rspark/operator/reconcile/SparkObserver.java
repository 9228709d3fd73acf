package io.rspark.operator.reconcile;

import io.rspark.operator.api.AutoscalingStatus;
import io.rspark.operator.spark.DriverActivity;
import io.rspark.operator.spark.MasterStatus;
import io.rspark.operator.spark.SparkClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest readings of each cluster's Spark master and bridge, refreshed in the background so
 * that a reconcile never waits on Spark: it asks for a refresh, reads what arrived before, and
 * requeues. A reading older than {@code maxAge}, or replaced by a failed attempt, counts as
 * missing. Also holds each cluster's idle clocks per worker, which only mean something next to the
 * readings.
 */
public final class SparkObserver {
  private static final Logger LOG = LoggerFactory.getLogger(SparkObserver.class);

  private record Reading<T>(T value, Instant at) {}

  private static final class Entry {
    volatile Reading<MasterStatus> master;
    volatile Reading<DriverActivity> driver;
    final AtomicBoolean masterInFlight = new AtomicBoolean();
    final AtomicBoolean driverInFlight = new AtomicBoolean();
    final ConcurrentMap<String, Reading<Integer>> workerExecutors = new ConcurrentHashMap<>();
    final ConcurrentMap<String, AtomicBoolean> workerInFlight = new ConcurrentHashMap<>();
    volatile Map<String, Instant> idleSince = Map.of();
    volatile AutoscalingStatus lastScaling;
    volatile Instant touched;
  }

  /**
   * Entries of clusters no reconcile asked about for this many max-ages are dropped: the cluster
   * was deleted or stopped being observed (no hook tells the observer).
   */
  static final int FORGET_AFTER_MAX_AGES = 20;

  private final SparkClient client;
  private final Clock clock;
  private final Duration maxAge;
  private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

  public SparkObserver(SparkClient client, Clock clock, Duration maxAge) {
    this.client = client;
    this.clock = clock;
    this.maxAge = maxAge;
  }

  public SparkClient client() {
    return client;
  }

  /** Starts a read of each given address unless one is under way; returns at once. */
  public void refresh(String cluster, Optional<URI> masterUi, Optional<URI> bridge) {
    Instant now = clock.instant();
    Instant forgetBefore = now.minus(maxAge.multipliedBy(FORGET_AFTER_MAX_AGES));
    entries.values().removeIf(old -> old.touched != null && old.touched.isBefore(forgetBefore));
    Entry e = entries.computeIfAbsent(cluster, k -> new Entry());
    e.touched = now;
    masterUi.ifPresent(
        uri ->
            readInBackground(
                cluster, uri, e.masterInFlight, client::masterStatus, r -> e.master = r));
    bridge.ifPresent(
        uri ->
            readInBackground(
                cluster, uri, e.driverInFlight, client::driverActivity, r -> e.driver = r));
  }

  /** Starts a read of the executors a draining worker runs, unless one is under way. */
  public void refreshWorker(String cluster, String workerPod, URI workerUi) {
    Entry e = entries.computeIfAbsent(cluster, k -> new Entry());
    readInBackground(
        cluster,
        workerUi,
        e.workerInFlight.computeIfAbsent(workerPod, k -> new AtomicBoolean()),
        client::runningExecutors,
        r -> {
          if (r == null) {
            e.workerExecutors.remove(workerPod);
          } else {
            e.workerExecutors.put(workerPod, r);
          }
        });
  }

  /**
   * Starts {@code read} of {@code uri} unless one is under way, and hands over its reading when it
   * completes: null after a failure, so that a failed attempt replaces an older success.
   */
  private <T> void readInBackground(
      String cluster,
      URI uri,
      AtomicBoolean inFlight,
      Function<URI, CompletableFuture<T>> read,
      Consumer<Reading<T>> store) {
    if (!inFlight.compareAndSet(false, true)) {
      return;
    }
    bounded(read.apply(uri))
        .whenComplete(
            (value, failure) -> {
              store.accept(failure == null ? new Reading<>(value, clock.instant()) : null);
              logFailure(cluster, uri, failure);
              inFlight.set(false);
            });
  }

  /** How many executors the worker pod runs, if read successfully within maxAge. */
  public Optional<Integer> workerExecutors(String cluster, String workerPod) {
    Entry e = entries.get(cluster);
    return e == null ? Optional.empty() : fresh(e.workerExecutors.get(workerPod));
  }

  /** The master's status if read successfully within maxAge. */
  public Optional<MasterStatus> master(String cluster) {
    Entry e = entries.get(cluster);
    return e == null ? Optional.empty() : fresh(e.master);
  }

  /** The bridge's report if read successfully within maxAge. */
  public Optional<DriverActivity> driver(String cluster) {
    Entry e = entries.get(cluster);
    return e == null ? Optional.empty() : fresh(e.driver);
  }

  public Map<String, Instant> idleSince(String cluster) {
    Entry e = entries.get(cluster);
    return e == null ? Map.of() : e.idleSince;
  }

  public void idleSince(String cluster, Map<String, Instant> clocks) {
    entries.computeIfAbsent(cluster, k -> new Entry()).idleSince = Map.copyOf(clocks);
  }

  /** The autoscaler's last decision for the cluster in this process. */
  public Optional<AutoscalingStatus> lastScaling(String cluster) {
    Entry e = entries.get(cluster);
    return e == null ? Optional.empty() : Optional.ofNullable(e.lastScaling);
  }

  public void lastScaling(String cluster, AutoscalingStatus decision) {
    entries.computeIfAbsent(cluster, k -> new Entry()).lastScaling = decision;
  }

  /** Drops everything known about a cluster (suspended, deleted, or no longer observed). */
  public void forget(String cluster) {
    entries.remove(cluster);
  }

  private <T> Optional<T> fresh(Reading<T> reading) {
    if (reading == null || Duration.between(reading.at(), clock.instant()).compareTo(maxAge) > 0) {
      return Optional.empty();
    }
    return Optional.of(reading.value());
  }

  /** The client promises a timeout; this bound keeps a broken promise from blocking refreshes. */
  private <T> CompletableFuture<T> bounded(CompletableFuture<T> future) {
    return future.orTimeout(maxAge.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static void logFailure(String cluster, URI uri, Throwable failure) {
    if (failure != null) {
      LOG.info("Could not read Spark of {} at {}: {}", cluster, uri, failure.getMessage());
    }
  }
}
