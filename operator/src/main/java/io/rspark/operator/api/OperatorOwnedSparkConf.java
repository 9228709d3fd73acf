package io.rspark.operator.api;

import java.util.List;
import java.util.Optional;

/**
 * Spark properties the operator sets itself and refuses in {@code spec.sparkConf}: letting a user
 * override them would break authentication, the R launcher or how pods find each other.
 */
public final class OperatorOwnedSparkConf {
  public static final List<String> KEYS =
      List.of(
          "spark.master",
          "spark.submit.deployMode",
          "spark.authenticate",
          "spark.r.command",
          "spark.driver.host",
          "spark.driver.bindAddress",
          "spark.ui.port",
          "spark.master.port",
          "spark.master.ui.port",
          "spark.worker.ui.port",
          // The standalone master's unauthenticated REST submission server, off on every line
          // (spark.SparkLine: Spark 4.1 turned it on by default).
          "spark.master.rest.enabled",
          // Spark Connect's port and the interceptor that checks its token (the bridge sets both).
          "spark.connect.grpc.binding.port",
          "spark.connect.grpc.interceptor.classes");

  /** Whole families: every key under these prefixes is owned. */
  public static final List<String> PREFIXES = List.of("spark.authenticate.", "spark.kubernetes.");

  /** Whether the key {@code k} is owned, in CEL: the lists above. */
  private static final String CEL_OWNED =
      "k in ['spark.master', 'spark.submit.deployMode', 'spark.authenticate',"
          + " 'spark.r.command', 'spark.driver.host', 'spark.driver.bindAddress', 'spark.ui.port',"
          + " 'spark.master.port', 'spark.master.ui.port', 'spark.worker.ui.port',"
          + " 'spark.master.rest.enabled',"
          + " 'spark.connect.grpc.binding.port', 'spark.connect.grpc.interceptor.classes']"
          + " || k.startsWith('spark.authenticate.') || k.startsWith('spark.kubernetes.')";

  /** The same rule for the CRD; {@code OperatorOwnedSparkConfIT} checks it matches the lists. */
  public static final String CEL_RULE = "self.all(k, !(" + CEL_OWNED + "))";

  public static final String CEL_MESSAGE =
      "sparkConf must not set keys the operator owns: spark.master, spark.submit.deployMode,"
          + " spark.authenticate*, spark.r.command, spark.driver.host, spark.driver.bindAddress,"
          + " spark.ui.port, spark.master.port, spark.master.ui.port, spark.worker.ui.port,"
          + " spark.master.rest.enabled,"
          + " spark.connect.grpc.binding.port, spark.connect.grpc.interceptor.classes,"
          + " spark.kubernetes.*";

  /** The message naming an owned key the spec sets, as {@link #refusal} does. */
  public static final String CEL_MESSAGE_EXPRESSION =
      "\"sparkConf key '\" + self.filter(k, " + CEL_OWNED + ")[0] + \"' is set by the operator\"";

  private OperatorOwnedSparkConf() {}

  /** Why the operator refuses {@code key}, or empty when the user may set it. */
  public static Optional<String> refusal(String key) {
    if (KEYS.contains(key)) {
      return Optional.of("sparkConf key '" + key + "' is set by the operator");
    }
    return PREFIXES.stream()
        .filter(key::startsWith)
        .findFirst()
        .map(p -> "sparkConf keys under '" + p + "' are set by the operator (got '" + key + "')");
  }
}
