package io.rspark.operator.spark;

/** A Spark process did not answer in time, refused, or answered with something unreadable. */
public class SparkUnreachableException extends RuntimeException {
  public SparkUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }

  public SparkUnreachableException(String message) {
    super(message);
  }
}
