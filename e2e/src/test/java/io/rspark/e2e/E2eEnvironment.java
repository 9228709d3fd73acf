package io.rspark.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Where the end-to-end tests run and with what: a real cluster from KUBECONFIG, the r-executor
 * image the clusters run, and optionally the operator image (else the operator jar runs here).
 * Without {@code -Pe2e} every test is skipped and the reason printed; with it, a missing
 * prerequisite fails the run instead of skipping it, so a requested e2e run cannot pass empty.
 */
public final class E2eEnvironment implements ExecutionCondition {
  static final String HOW_TO = "see docs/e2e.md";

  static boolean requested() {
    return Boolean.getBoolean("rspark.e2e");
  }

  /**
   * The test cluster's kubeconfig: {@code -Drspark.e2e.kubeconfig}, else {@code KUBECONFIG}. CI
   * gives the property, because its {@code KUBECONFIG} names the control plane of the *IT tier.
   */
  static String kubeconfig() {
    String property = blankToNull(System.getProperty("rspark.e2e.kubeconfig"));
    return property != null ? property : blankToNull(System.getenv("KUBECONFIG"));
  }

  /** On CI ({@code CI=true}) the e2e suite is part of the run: it fails instead of skipping. */
  static boolean onCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  static String executorImage() {
    return blankToNull(System.getProperty("rspark.e2e.executor-image"));
  }

  /** The executor image of the Spark 4.2 line. */
  static String executorImage42() {
    return blankToNull(System.getProperty("rspark.e2e.executor-image-4.2"));
  }

  static String operatorImage() {
    return blankToNull(System.getProperty("rspark.e2e.operator-image"));
  }

  static Duration timeout() {
    return Duration.parse(System.getProperty("rspark.e2e.timeout", "PT10M"));
  }

  /** The repository root: the nearest directory upwards holding crds/ and a pom. */
  static Path repo() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isDirectory(dir.resolve("crds")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("No repository root above " + Path.of("").toAbsolutePath());
  }

  /** What is missing for a run, empty when nothing is. */
  static List<String> missing() {
    List<String> missing = new ArrayList<>();
    if (kubeconfig() == null) {
      missing.add(
          "KUBECONFIG or -Drspark.e2e.kubeconfig is not set (it must name the test cluster's"
              + " kubeconfig)");
    } else if (!Files.isRegularFile(Path.of(kubeconfig().split(java.io.File.pathSeparator)[0]))) {
      missing.add("KUBECONFIG names no file: " + kubeconfig());
    }
    if (executorImage() == null) {
      missing.add("-Drspark.e2e.executor-image=<the r-executor image loaded into the cluster>");
    }
    if (executorImage42() == null) {
      missing.add(
          "-Drspark.e2e.executor-image-4.2=<the Spark 4.2 r-executor image loaded into the"
              + " cluster>");
    }
    return missing;
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (!requested()) {
      if (onCi()) {
        throw new IllegalStateException(
            "CI=true but the e2e suite was not requested: CI runs it with -Pe2e on the kit's node"
                + " (.ci/run, "
                + HOW_TO
                + ")");
      }
      String why =
          "e2e tests skipped: they run only with -Pe2e, KUBECONFIG and"
              + " -Drspark.e2e.executor-image ("
              + HOW_TO
              + ")";
      System.out.println("[rspark-e2e] " + why);
      return ConditionEvaluationResult.disabled(why);
    }
    List<String> missing = missing();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "-Pe2e was given but the end-to-end run cannot start: "
              + String.join("; ", missing)
              + " ("
              + HOW_TO
              + ")");
    }
    return ConditionEvaluationResult.enabled("e2e requested with KUBECONFIG=" + kubeconfig());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
