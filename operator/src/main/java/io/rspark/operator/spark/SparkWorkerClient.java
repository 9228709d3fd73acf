package io.rspark.operator.spark;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a worker's own web UI. After a decommission the master keeps showing the worker's cores as
 * used (Spark 3.5.6 ignores the exit of an executor it already took out of its application), so
 * whether the worker still runs an executor is known only here. Same rules as {@link SparkClient}:
 * no blocking, {@link SparkUnreachableException} on failure.
 */
public interface SparkWorkerClient {
  /**
   * Executors the worker runs now ({@code executors} of {@code GET <worker UI>/json/}); {@code
   * workerUi} is e.g. http://10.0.0.7:8081.
   */
  CompletableFuture<Integer> runningExecutors(URI workerUi);
}
