package io.rspark.operator.spark;

/**
 * One worker as the master lists it. {@code host} is the address the worker registered with: the
 * worker pod's IP (the entrypoint starts it with {@code --host $RSPARK_POD_IP}).
 */
public record SparkWorker(String id, String host, int cores, int coresUsed, String state) {
  public boolean alive() {
    return "ALIVE".equals(state);
  }

  /** An executor holds cores on this worker. */
  public boolean runsExecutors() {
    return coresUsed > 0;
  }
}
