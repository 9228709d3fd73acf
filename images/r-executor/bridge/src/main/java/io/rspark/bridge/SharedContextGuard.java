package io.rspark.bridge;

import java.util.Set;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.r.JVMObjectId;
import org.apache.spark.api.r.JVMObjectTracker;
import org.apache.spark.sql.SparkSession;

/**
 * Keeps one R session from ending everyone's: {@code sparkR.session.stop()} stops the context and
 * then asks the backend to shut down. Both calls are answered as done without reaching Spark.
 */
final class SharedContextGuard {
  private static final Set<String> STOPPING_METHODS = Set.of("stop", "close");

  private final JVMObjectTracker tracker;

  SharedContextGuard(JVMObjectTracker tracker) {
    this.tracker = tracker;
  }

  boolean refuses(boolean isStatic, String objectId, String method) {
    if (isStatic) {
      return "SparkRHandler".equals(objectId) && "stopBackend".equals(method);
    }
    if (!STOPPING_METHODS.contains(method)) {
      return false;
    }
    Object target = tracker.get(new JVMObjectId(objectId)).getOrElse(() -> null);
    return target instanceof SparkContext
        || target instanceof JavaSparkContext
        || target instanceof SparkSession;
  }
}
