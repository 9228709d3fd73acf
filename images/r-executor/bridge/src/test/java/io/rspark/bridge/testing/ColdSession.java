package io.rspark.bridge.testing;

import org.apache.spark.sql.SparkSession;

/**
 * What a session without the bridge pays: a new JVM that builds its own SparkContext (as {@code
 * sparkR.session()} does through spark-submit) and answers the same first query as an attach.
 */
public final class ColdSession {
  private ColdSession() {}

  public static void main(String[] args) {
    SparkSession spark =
        SparkSession.builder()
            .master("local[1]")
            .appName("cold-session")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    long one = spark.sql("SELECT 1 AS one").first().getInt(0);
    System.out.println("cold-session " + spark.sparkContext().applicationId() + " " + one);
    spark.stop();
  }
}
