package io.rspark.operator.testing;

import io.rspark.operator.spark.DriverActivity;
import io.rspark.operator.spark.MasterStatus;
import io.rspark.operator.spark.SparkClient;
import io.rspark.operator.spark.SparkUnreachableException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Spark that answers what the test last set for each address: a master's status, a bridge's
 * report and a worker's executor count, unreachable where nothing is set; decommission requests are
 * recorded. Answers complete on another thread, as a real HTTP client's would.
 */
public final class TestingSparkClient implements SparkClient {
  /** A decommission request as the operator sent it. */
  public record Decommission(URI masterUi, String host) {}

  private final Map<URI, MasterStatus> masters = new ConcurrentHashMap<>();
  private final Map<URI, DriverActivity> drivers = new ConcurrentHashMap<>();
  private final Map<URI, Integer> workerExecutors = new ConcurrentHashMap<>();
  private final List<Decommission> decommissions = new CopyOnWriteArrayList<>();
  private final List<URI> masterReads = new CopyOnWriteArrayList<>();

  /** What the master at {@code masterUi} answers; unset or null, it is unreachable. */
  public void master(URI masterUi, MasterStatus status) {
    if (status == null) {
      masters.remove(masterUi);
    } else {
      masters.put(masterUi, status);
    }
  }

  /** What the bridge at {@code bridge} answers; unset, it is unreachable. */
  public void driver(URI bridge, DriverActivity activity) {
    drivers.put(bridge, activity);
  }

  /** How many executors the worker UI at {@code workerUi} reports; unset, it is unreachable. */
  public void workerExecutors(URI workerUi, int executors) {
    workerExecutors.put(workerUi, executors);
  }

  public List<Decommission> decommissions() {
    return List.copyOf(decommissions);
  }

  public List<URI> masterReads() {
    return List.copyOf(masterReads);
  }

  @Override
  public CompletableFuture<MasterStatus> masterStatus(URI masterUi) {
    masterReads.add(masterUi);
    return answer(masters.get(masterUi), masterUi);
  }

  @Override
  public CompletableFuture<DriverActivity> driverActivity(URI bridgeHealth) {
    return answer(drivers.get(bridgeHealth), bridgeHealth);
  }

  @Override
  public CompletableFuture<Void> decommissionWorkers(URI masterUi, String host) {
    decommissions.add(new Decommission(masterUi, host));
    return CompletableFuture.runAsync(() -> {});
  }

  @Override
  public CompletableFuture<Integer> runningExecutors(URI workerUi) {
    return answer(workerExecutors.get(workerUi), workerUi);
  }

  private static <T> CompletableFuture<T> answer(T value, URI uri) {
    return CompletableFuture.supplyAsync(
        () -> {
          if (value == null) {
            throw new SparkUnreachableException("connection refused: " + uri);
          }
          return value;
        });
  }
}
