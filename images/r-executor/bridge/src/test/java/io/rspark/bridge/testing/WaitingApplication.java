package io.rspark.bridge.testing;

import org.apache.spark.sql.SparkSession;

/**
 * A second application for a cluster whose cores are all taken: it registers with the master named
 * in its argument and waits until it is killed, so that the master lists it as WAITING.
 */
public final class WaitingApplication {
  private WaitingApplication() {}

  public static void main(String[] args) throws InterruptedException {
    SparkSession.builder()
        .appName("waiting-for-cores")
        .master(args[0])
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.executor.memory", "512m")
        .getOrCreate();
    Thread.sleep(Long.MAX_VALUE);
  }
}
