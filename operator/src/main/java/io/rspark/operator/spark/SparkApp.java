package io.rspark.operator.spark;

/** One unfinished application as the master lists it. */
public record SparkApp(String id, String name, String state, int cores) {
  public boolean waiting() {
    return "WAITING".equals(state);
  }
}
