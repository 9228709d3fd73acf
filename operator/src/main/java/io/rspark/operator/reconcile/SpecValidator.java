package io.rspark.operator.reconcile;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.rspark.operator.api.AutoscalingSpec;
import io.rspark.operator.api.ComputeResources;
import io.rspark.operator.api.ExecutorsSpec;
import io.rspark.operator.api.OperatorOwnedSparkConf;
import io.rspark.operator.api.Patterns;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.api.RSparkClusterSpec;
import io.rspark.operator.api.Scheduler;
import io.rspark.operator.resources.AuthSecretFactory;
import io.rspark.operator.spark.ContainerSizing;
import io.rspark.operator.spark.PodContract;
import io.rspark.operator.spark.SparkLine;
import io.rspark.operator.spark.SparkLines;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What admission cannot always catch: CEL rules are ignored before Kubernetes 1.25, quantities are
 * compared, names must fit the objects derived from them. Each problem becomes a Stalled condition
 * with a reason; nothing running is touched while the spec is invalid.
 */
public final class SpecValidator {
  /** The driver Service is named {@code <cluster>-driver} and must be a 63-character DNS label. */
  public static final int MAX_NAME_LENGTH = 56;

  /** Environment variables the operator sets itself; a user value would silently lose. */
  static final Set<String> OPERATOR_ENV =
      Set.of(
          PodContract.ENV_SPARK_CONF_DIR,
          PodContract.ENV_SPARK_WORKER_CORES,
          PodContract.ENV_SPARK_WORKER_MEMORY,
          PodContract.ENV_SPARK_WORKER_DIR,
          PodContract.ENV_SPARK_LOCAL_DIRS,
          PodContract.ENV_SPARK_SCALA_VERSION);

  /**
   * Characters that end or rewrite a key in spark-defaults.conf (read as Java properties): with
   * them a key could smuggle in another line, such as one setting a key the operator owns.
   */
  private static final Pattern UNSAFE_KEY_CHARACTER = Pattern.compile("[\\s\\p{Cntrl}=:\\\\]");

  private SpecValidator() {}

  public static List<SpecProblem> validate(RSparkCluster cluster) {
    List<SpecProblem> problems = new ArrayList<>();
    String name = cluster.getMetadata().getName();
    if (name.length() > MAX_NAME_LENGTH || !name.matches("^[a-z]([-a-z0-9]*[a-z0-9])?$")) {
      problems.add(
          new SpecProblem(
              "InvalidName",
              "metadata.name '"
                  + name
                  + "' must start with a letter, contain only lower-case letters, digits and '-',"
                  + " and be at most "
                  + MAX_NAME_LENGTH
                  + " characters (it names a Service)"));
    }
    RSparkClusterSpec spec = cluster.getSpec();
    if (spec.image != null && !spec.image.isBlank() && spec.sparkVersion == null) {
      problems.add(
          new SpecProblem("SparkVersionRequired", RSparkClusterSpec.IMAGE_NEEDS_SPARK_VERSION));
    }
    checkSparkConf(spec.sparkConf, problems);
    checkEnv(spec.env, problems);
    checkReservedKeys(
        "podLabels", spec.podLabels, List.of("rspark.io/", "app.kubernetes.io/"), problems);
    checkReservedKeys("podAnnotations", spec.podAnnotations, List.of("rspark.io/"), problems);
    checkLabels("podLabels", spec.podLabels, problems);
    checkLabels("nodeSelector", spec.nodeSelector, problems);
    spec.podAnnotations.keySet().stream()
        .filter(k -> !isQualifiedName(k))
        .forEach(
            k ->
                problems.add(
                    new SpecProblem(
                        "InvalidLabel", "podAnnotations key '" + k + "' is not a valid key")));
    if (spec.r != null) {
      checkUnique("r.packages", spec.r.packages, problems);
      checkUnique("r.repos", spec.r.repos, problems);
    }
    checkResources(
        "driver.resources", spec.driver == null ? null : spec.driver.resources, problems);
    if (spec.workers != null && spec.workers.replicas > 0) {
      checkResources("workers.resources", spec.workers.resources, problems);
    }
    checkKubernetesScheduler(spec, problems);
    checkAutoscaling(spec.workers == null ? null : spec.workers.autoscaling, problems);
    return problems;
  }

  /** The CEL rules of workers.autoscaling, for API servers that do not run them. */
  private static void checkAutoscaling(AutoscalingSpec autoscaling, List<SpecProblem> problems) {
    if (autoscaling == null) {
      return;
    }
    if (autoscaling.minReplicas != null
        && autoscaling.maxReplicas != null
        && autoscaling.minReplicas > autoscaling.maxReplicas) {
      problems.add(
          new SpecProblem(
              "InvalidAutoscaling",
              "workers.autoscaling.minReplicas "
                  + autoscaling.minReplicas
                  + " is above maxReplicas "
                  + autoscaling.maxReplicas));
    }
    if (autoscaling.scaleDownDelay != null && autoscaling.scaleDownDelay.isEmpty()) {
      problems.add(
          new SpecProblem(
              "InvalidAutoscaling",
              "workers.autoscaling.scaleDownDelay must not be empty: write e.g. 90s, 10m or 1h30m,"
                  + " or leave it out for "
                  + AutoscalingSpec.DEFAULT_SCALE_DOWN_DELAY));
    }
  }

  /**
   * The cluster names no image and its Spark line has no default image in this operator: it cannot
   * run until it names an image or a line the operator has one for.
   */
  public static Optional<SpecProblem> missingImage(RSparkCluster cluster, SparkLines lines) {
    RSparkClusterSpec spec = cluster.getSpec();
    SparkLine line = lines.lineOf(spec);
    if ((spec.image != null && !spec.image.isBlank()) || lines.defaultImage(line).isPresent()) {
      return Optional.empty();
    }
    List<SparkLine> configured = lines.configured();
    String others =
        configured.isEmpty()
            ? "it has a default image for no line, so spec.image must be set"
            : "lines with a default image: "
                + configured.stream()
                    .map(l -> l.version().value())
                    .collect(Collectors.joining(", "))
                + "; or set spec.image";
    return Optional.of(
        new SpecProblem(
            "NoImageForSparkVersion",
            "Spark line "
                + line.version().value()
                + (spec.sparkVersion == null ? " (the operator's default line)" : "")
                + " has no default image in this operator (setting "
                + line.imageOption().name()
                + " is empty): "
                + others));
  }

  /**
   * The scheduler differs from the one the cluster's objects were made with: CEL refuses the edit
   * on Kubernetes 1.25+, older API servers store it. Converting a running cluster would strand its
   * executors and its RBAC, so the operator leaves everything as it is and says so.
   */
  public static Optional<SpecProblem> schedulerSwitch(
      RSparkCluster cluster, Optional<Secret> authSecret) {
    Scheduler asked = Scheduler.of(cluster.getSpec());
    return authSecret
        .map(AuthSecretFactory::createdWith)
        .filter(made -> made != asked)
        .map(
            made ->
                new SpecProblem(
                    "SchedulerChanged",
                    "scheduler cannot change on an existing cluster: it was created with '"
                        + made.value()
                        + "', the spec asks for '"
                        + asked.value()
                        + "'; set it back, or create a new cluster"));
  }

  private static void checkKubernetesScheduler(RSparkClusterSpec spec, List<SpecProblem> problems) {
    boolean kubernetes = Scheduler.of(spec) == Scheduler.KUBERNETES;
    if (!kubernetes && spec.executors != null) {
      problems.add(
          new SpecProblem(
              "InvalidScheduler",
              "executors is only used with scheduler: kubernetes (standalone mode sizes workers)"));
    }
    if (kubernetes && spec.workers != null && spec.workers.replicas > 0) {
      problems.add(
          new SpecProblem(
              "InvalidScheduler",
              "with scheduler: kubernetes Spark creates executor pods itself: workers.replicas must"
                  + " be 0 (size them with executors)"));
    }
    if (kubernetes && spec.workers != null && spec.workers.autoscaling != null) {
      problems.add(
          new SpecProblem("InvalidScheduler", RSparkClusterSpec.KUBERNETES_AUTOSCALING_MESSAGE));
    }
    ExecutorsSpec executors = spec.executors;
    if (kubernetes && executors != null) {
      if (executors.minExecutors != null
          && executors.maxExecutors != null
          && executors.minExecutors > executors.maxExecutors) {
        problems.add(
            new SpecProblem(
                "InvalidExecutors",
                "executors.minExecutors "
                    + executors.minExecutors
                    + " is above executors.maxExecutors "
                    + executors.maxExecutors));
      }
      if (executors.idleTimeout != null && !executors.idleTimeout.matches(Patterns.SPARK_TIME)) {
        problems.add(
            new SpecProblem(
                "InvalidExecutors",
                "executors.idleTimeout '"
                    + executors.idleTimeout
                    + "' must be whole seconds, minutes or hours such as 60s, 5m or 1h"));
      }
      checkResources("executors.resources", executors.resources, problems);
    }
  }

  private static void checkSparkConf(Map<String, String> conf, List<SpecProblem> problems) {
    conf.forEach(
        (key, value) -> {
          if (!key.startsWith("spark.")) {
            problems.add(
                new SpecProblem(
                    "InvalidSparkConf", "sparkConf key '" + key + "' must start with 'spark.'"));
          }
          if (UNSAFE_KEY_CHARACTER.matcher(key).find()) {
            problems.add(
                new SpecProblem(
                    "InvalidSparkConf",
                    "sparkConf key '"
                        + key
                        + "' must not contain whitespace, control characters, '=', ':' or '\\'"
                        + " (spark-defaults.conf is read as Java properties)"));
          }
          OperatorOwnedSparkConf.refusal(key)
              .ifPresent(why -> problems.add(new SpecProblem("OperatorOwnedSparkConf", why)));
          if (value == null || value.contains("\n") || value.contains("\r")) {
            problems.add(
                new SpecProblem(
                    "InvalidSparkConf",
                    "sparkConf value of '" + key + "' must be a single line of text"));
          }
        });
  }

  private static void checkUnique(String field, List<String> values, List<SpecProblem> problems) {
    Set<String> seen = new HashSet<>();
    values.stream()
        .filter(v -> !seen.add(v))
        .distinct()
        .forEach(
            v ->
                problems.add(
                    new SpecProblem("InvalidR", field + " lists '" + v + "' more than once")));
  }

  private static void checkEnv(List<EnvVar> env, List<SpecProblem> problems) {
    Set<String> seen = new HashSet<>();
    for (EnvVar var : env) {
      String n = var.getName();
      if (n == null || n.isEmpty()) {
        problems.add(new SpecProblem("InvalidEnv", "every env entry needs a name"));
      } else if (!ENV_NAME.matcher(n).matches()) {
        problems.add(
            new SpecProblem(
                "InvalidEnv",
                "env name '"
                    + n
                    + "' must be letters, digits, '_', '-' and '.', not starting with a digit"
                    + " (e.g. MY_VAR)"));
      } else if (n.startsWith("RSPARK_") || OPERATOR_ENV.contains(n)) {
        problems.add(
            new SpecProblem(
                "ReservedEnv",
                "env '" + n + "' is set by the operator (see docs/pod-contract.md)"));
      } else if (!seen.add(n)) {
        problems.add(new SpecProblem("InvalidEnv", "env '" + n + "' is given more than once"));
      }
    }
  }

  /**
   * An environment variable name every Kubernetes version takes in a pod (1.32+ takes more). Not a
   * CEL rule: a regex over each name of an unbounded string list exceeds the CRD cost budget.
   */
  private static final Pattern ENV_NAME = Pattern.compile("^[-._a-zA-Z][-._a-zA-Z0-9]*$");

  private static final Pattern NAME_PART =
      Pattern.compile("^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$");
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile(Patterns.DNS_SUBDOMAIN);

  /** A label or annotation key: an optional DNS-subdomain prefix and '/', then a name part. */
  static boolean isQualifiedName(String key) {
    int slash = key.lastIndexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        return false;
      }
    }
    return NAME_PART.matcher(name).matches();
  }

  private static void checkLabels(
      String field, Map<String, String> labels, List<SpecProblem> problems) {
    labels.forEach(
        (key, value) -> {
          if (!isQualifiedName(key)) {
            problems.add(
                new SpecProblem(
                    "InvalidLabel", field + " key '" + key + "' is not a valid label key"));
          }
          if (value == null || !(value.isEmpty() || NAME_PART.matcher(value).matches())) {
            problems.add(
                new SpecProblem(
                    "InvalidLabel",
                    field
                        + " value of '"
                        + key
                        + "' must be at most 63 letters, digits, '-', '_' or '.', starting and"
                        + " ending with a letter or digit"));
          }
        });
  }

  private static void checkReservedKeys(
      String field, Map<String, String> map, List<String> prefixes, List<SpecProblem> problems) {
    for (String key : map.keySet()) {
      for (String prefix : prefixes) {
        if (key.startsWith(prefix)) {
          problems.add(
              new SpecProblem(
                  "ReservedLabel",
                  field + " key '" + key + "' is under '" + prefix + "', which the operator owns"));
        }
      }
    }
  }

  private static void checkResources(
      String field, ComputeResources resources, List<SpecProblem> problems) {
    ContainerSizing sizing = ContainerSizing.of(resources);
    try {
      if (sizing.memoryMib() < ContainerSizing.MIN_MEMORY_MIB) {
        problems.add(
            new SpecProblem(
                "InsufficientMemory",
                field
                    + ".memory "
                    + sizing.memory()
                    + " is below the 1Gi a Spark JVM with R beside it needs"));
      }
      if (sizing.cpuLimit() != null
          && Quantity.getAmountInBytes(new Quantity(sizing.cpuLimit()))
                  .compareTo(Quantity.getAmountInBytes(new Quantity(sizing.cpu())))
              < 0) {
        problems.add(
            new SpecProblem(
                "InvalidResources",
                field + ".cpuLimit " + sizing.cpuLimit() + " is below cpu " + sizing.cpu()));
      }
      if (Quantity.getAmountInBytes(new Quantity(sizing.cpu())).signum() <= 0) {
        problems.add(new SpecProblem("InvalidResources", field + ".cpu must be above 0"));
      }
    } catch (IllegalArgumentException | ArithmeticException e) {
      problems.add(
          new SpecProblem(
              "InvalidResources",
              field + " holds a quantity Kubernetes cannot read: " + e.getMessage()));
    }
  }
}
