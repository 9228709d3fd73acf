package io.rspark.operator.spark;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * Reads and steers a cluster's Spark processes over HTTP. No call blocks its caller: each returns
 * at once and completes within the client's timeout, exceptionally with {@link
 * SparkUnreachableException} when the process cannot be reached or answers with something that
 * cannot be read.
 */
public interface SparkClient {
  /**
   * The master's JSON status; {@code masterUi} is the master web UI's base, e.g. http://host:8080.
   */
  CompletableFuture<MasterStatus> masterStatus(URI masterUi);

  /** The bridge's activity report; {@code bridgeHealth} is the bridge's health server base. */
  CompletableFuture<DriverActivity> driverActivity(URI bridgeHealth);

  /**
   * Asks the master to decommission the workers registered from {@code host} (one worker pod's IP).
   * Completes when the master accepted the request, not when the worker has left: callers watch
   * {@link #masterStatus} for that.
   */
  CompletableFuture<Void> decommissionWorkers(URI masterUi, String host);

  /**
   * Executors the worker runs now ({@code executors} of {@code GET <worker UI>/json/}); {@code
   * workerUi} is e.g. http://10.0.0.7:8081. After a decommission the master keeps showing the
   * worker's cores as used (Spark 3.5.6 ignores the exit of an executor it already took out of its
   * application), so whether a draining worker still runs an executor is known only here.
   */
  CompletableFuture<Integer> runningExecutors(URI workerUi);
}
