package io.rspark.operator.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The operator's whole configuration: a registry of typed options with documented defaults
 * (docs/configuration.md is checked against {@link #OPTIONS}), read once at start-up.
 */
public final class OperatorConfig {
  public static final ConfigOption<Set<String>> WATCH_NAMESPACES =
      new ConfigOption<>(
          "rspark.watch-namespaces",
          "",
          "Comma-separated namespaces to watch; empty watches all namespaces.",
          OperatorConfig::parseSet);

  /** The Spark lines the operator runs, as spec.sparkVersion names them (spark.SparkLine). */
  public static final List<String> SPARK_LINES = List.of("3.5", "4.2");

  public static final ConfigOption<String> DEFAULT_SPARK_VERSION =
      new ConfigOption<>(
          "rspark.default-spark-version",
          "3.5",
          "Spark line of clusters whose spec.sparkVersion is empty: 3.5 or 4.2. Changing it"
              + " replaces the pods of every such cluster.",
          raw -> parseChoice(raw, SPARK_LINES.toArray(String[]::new)));
  public static final ConfigOption<String> IMAGE_SPARK_3_5 =
      new ConfigOption<>(
          "rspark.image.spark-3.5",
          "ghcr.io/rspark-io/r-executor:3.5.6-r4",
          "Image of Spark 3.5 clusters whose spec.image is empty; empty: such clusters stall"
              + " (NoImageForSparkVersion) until they name an image.",
          Function.identity());
  public static final ConfigOption<String> IMAGE_SPARK_4_2 =
      new ConfigOption<>(
          "rspark.image.spark-4.2",
          "ghcr.io/rspark-io/r-executor:4.2.0-r4",
          "Image of Spark 4.2 clusters whose spec.image is empty; empty: such clusters stall"
              + " (NoImageForSparkVersion) until they name an image.",
          Function.identity());

  /** The former single default image: still read, as the 3.5 image, when that is not set. */
  public static final ConfigOption<String> DEFAULT_IMAGE =
      new ConfigOption<>(
          "rspark.default-image",
          "",
          "Deprecated: the former name of rspark.image.spark-3.5, used as that when"
              + " rspark.image.spark-3.5 is not set.",
          Function.identity());

  public static final ConfigOption<Integer> RECONCILE_THREADS =
      new ConfigOption<>(
          "rspark.reconcile-threads",
          "10",
          "Clusters reconciled in parallel.",
          OperatorConfig::parsePositiveInt);
  public static final ConfigOption<Boolean> LEADER_ELECTION =
      new ConfigOption<>(
          "rspark.leader-election.enabled",
          "true",
          "Run only while holding the leader Lease, so that several replicas can run safely.",
          OperatorConfig::parseBoolean);
  public static final ConfigOption<String> LEADER_ELECTION_LEASE =
      new ConfigOption<>(
          "rspark.leader-election.lease-name",
          "rspark-operator-leader",
          "Name of the leader-election Lease.",
          Function.identity());
  public static final ConfigOption<String> LEADER_ELECTION_NAMESPACE =
      new ConfigOption<>(
          "rspark.leader-election.namespace",
          "",
          "Namespace of the Lease; empty means the operator pod's namespace (POD_NAMESPACE), or"
              + " 'default' outside a cluster.",
          Function.identity());
  public static final ConfigOption<Integer> HEALTH_PORT =
      new ConfigOption<>(
          "rspark.health.port",
          "8081",
          "Port of /healthz and /readyz; 0 picks a free port.",
          OperatorConfig::parsePort);
  public static final ConfigOption<Integer> METRICS_PORT =
      new ConfigOption<>(
          "rspark.metrics.port",
          "8080",
          "Port of the Prometheus /metrics endpoint; 0 picks a free port.",
          OperatorConfig::parsePort);
  public static final ConfigOption<Boolean> INSTALL_CRDS =
      new ConfigOption<>(
          "rspark.install-crds",
          "false",
          "Create or update the RSparkCluster CRD at start-up (for development; Helm does it in"
              + " production).",
          OperatorConfig::parseBoolean);
  public static final ConfigOption<Duration> POD_BACKOFF_MAX =
      new ConfigOption<>(
          "rspark.pod-backoff-max",
          "PT5M",
          "Longest wait before a pod that keeps failing is recreated again (ISO-8601 duration).",
          OperatorConfig::parseDuration);
  public static final ConfigOption<String> LOG_FORMAT =
      new ConfigOption<>(
          "rspark.log-format",
          "text",
          "Log output: 'text' (one line per event) or 'json' (one JSON object per line).",
          raw -> parseChoice(raw, "text", "json"));
  public static final ConfigOption<Duration> SPARK_CONNECT_TIMEOUT =
      new ConfigOption<>(
          "rspark.spark.connect-timeout",
          "PT2S",
          "Longest wait to open a connection to a cluster's Spark master, worker or bridge"
              + " (ISO-8601 duration).",
          OperatorConfig::parsePositiveDuration);
  public static final ConfigOption<Duration> SPARK_REQUEST_TIMEOUT =
      new ConfigOption<>(
          "rspark.spark.request-timeout",
          "PT5S",
          "Longest wait for the answer of a cluster's Spark master, worker or bridge once"
              + " connected (ISO-8601 duration); past it the cluster counts as unreachable.",
          OperatorConfig::parsePositiveDuration);

  public static final ConfigOption<Duration> SPARK_POLL_INTERVAL =
      new ConfigOption<>(
          "rspark.spark.poll-interval",
          "PT10S",
          "How often the Spark master and the driver's bridge of clusters with autoscaling or"
              + " autoTermination are read (ISO-8601 duration).",
          OperatorConfig::parseDuration);
  public static final ConfigOption<Duration> SPARK_DATA_MAX_AGE =
      new ConfigOption<>(
          "rspark.spark.max-age",
          "PT45S",
          "Readings of the Spark master or bridge older than this count as missing: no scale-down"
              + " and no idle stop without fresh data (ISO-8601 duration).",
          OperatorConfig::parseDuration);
  public static final ConfigOption<Duration> DECOMMISSION_TIMEOUT =
      new ConfigOption<>(
          "rspark.decommission-timeout",
          "PT5M",
          "Longest wait for a worker asked to decommission to leave the master before its pod is"
              + " deleted anyway (ISO-8601 duration).",
          OperatorConfig::parseDuration);

  public static final ConfigOption<Map<String, String>> OPERATOR_POD_LABELS =
      new ConfigOption<>(
          "rspark.operator-pod-labels",
          "app.kubernetes.io/name=rspark-operator",
          "Comma-separated key=value labels of the operator's pods: each cluster's NetworkPolicy"
              + " lets pods with these labels, in the operator's namespace (POD_NAMESPACE; any"
              + " namespace when unset), reach the driver's ports 8080 and 8899.",
          OperatorConfig::parseLabels);

  public static final List<ConfigOption<?>> OPTIONS =
      List.of(
          WATCH_NAMESPACES,
          DEFAULT_SPARK_VERSION,
          IMAGE_SPARK_3_5,
          IMAGE_SPARK_4_2,
          DEFAULT_IMAGE,
          RECONCILE_THREADS,
          LEADER_ELECTION,
          LEADER_ELECTION_LEASE,
          LEADER_ELECTION_NAMESPACE,
          HEALTH_PORT,
          METRICS_PORT,
          INSTALL_CRDS,
          POD_BACKOFF_MAX,
          LOG_FORMAT,
          SPARK_CONNECT_TIMEOUT,
          SPARK_REQUEST_TIMEOUT,
          SPARK_POLL_INTERVAL,
          SPARK_DATA_MAX_AGE,
          DECOMMISSION_TIMEOUT,
          OPERATOR_POD_LABELS);

  private final Map<String, String> systemProperties;
  private final Map<String, String> environment;
  private final String leaderIdentity;

  public OperatorConfig(Map<String, String> systemProperties, Map<String, String> environment) {
    this.systemProperties = Map.copyOf(systemProperties);
    this.environment = Map.copyOf(environment);
    String hostname = environment.getOrDefault("HOSTNAME", "").trim();
    this.leaderIdentity = hostname.isEmpty() ? UUID.randomUUID().toString() : hostname;
  }

  /** The configuration of this process, from its system properties and environment. */
  public static OperatorConfig fromProcess() {
    return new OperatorConfig(
        System.getProperties().stringPropertyNames().stream()
            .collect(Collectors.toMap(k -> k, System::getProperty)),
        System.getenv());
  }

  /** Defaults only, with the given overrides (by option name); for tests and embedding. */
  public static OperatorConfig withOverrides(Map<String, String> overrides) {
    return new OperatorConfig(overrides, Map.of());
  }

  public <T> T get(ConfigOption<T> option) {
    String raw = systemProperties.get(option.name());
    String source = "system property " + option.name();
    if (raw == null) {
      raw = environment.get(option.envName());
      source = "environment variable " + option.envName();
    }
    if (raw == null) {
      raw = option.defaultValue();
      source = "default";
    }
    try {
      return option.parser().apply(raw.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Invalid value '"
              + raw
              + "' for "
              + option.name()
              + " (from "
              + source
              + "): "
              + e.getMessage()
              + ". "
              + option.description(),
          e);
    }
  }

  /**
   * Reads every option once, so that a bad value stops the process at start-up rather than at the
   * first reconcile that needs it.
   *
   * @throws IllegalArgumentException naming the first option whose value is invalid
   */
  public void validate() {
    OPTIONS.forEach(this::get);
  }

  /**
   * The default image of a Spark line ({@link #IMAGE_SPARK_3_5} or {@link #IMAGE_SPARK_4_2}); empty
   * when the line has none. The 3.5 image falls back to the deprecated {@link #DEFAULT_IMAGE} when
   * only that is set, so an installation configured before Spark lines existed keeps its image.
   */
  public String lineImage(ConfigOption<String> option) {
    if (option == IMAGE_SPARK_3_5 && !isSet(IMAGE_SPARK_3_5) && !get(DEFAULT_IMAGE).isEmpty()) {
      return get(DEFAULT_IMAGE);
    }
    return get(option);
  }

  /** Settings given under a deprecated name, with what to use instead; logged at start-up. */
  public List<String> deprecations() {
    return isSet(DEFAULT_IMAGE)
        ? List.of(
            DEFAULT_IMAGE.name()
                + " ("
                + DEFAULT_IMAGE.envName()
                + ") is deprecated: set "
                + IMAGE_SPARK_3_5.name()
                + " ("
                + IMAGE_SPARK_3_5.envName()
                + ") instead"
                + (isSet(IMAGE_SPARK_3_5) ? "; it is set and wins" : ""))
        : List.of();
  }

  private boolean isSet(ConfigOption<?> option) {
    return systemProperties.containsKey(option.name()) || environment.containsKey(option.envName());
  }

  /** Lease namespace: the configured one, else the pod's own namespace, else "default". */
  public String leaseNamespace() {
    String configured = get(LEADER_ELECTION_NAMESPACE);
    if (!configured.isEmpty()) {
      return configured;
    }
    return environment.getOrDefault("POD_NAMESPACE", "default");
  }

  /** The operator's pods as clusters' NetworkPolicies admit them. */
  public OperatorPeer operatorPeer() {
    return new OperatorPeer(
        get(OPERATOR_POD_LABELS), environment.getOrDefault("POD_NAMESPACE", "").trim());
  }

  /**
   * This replica's name in the leader Lease: HOSTNAME, which is the pod's name in a cluster, else a
   * random id fixed for this configuration.
   */
  public String leaderIdentity() {
    return leaderIdentity;
  }

  private static Set<String> parseSet(String raw) {
    return Arrays.stream(raw.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  private static Map<String, String> parseLabels(String raw) {
    Map<String, String> labels = new java.util.LinkedHashMap<>();
    for (String pair : raw.split(",")) {
      String[] kv = pair.trim().split("=", 2);
      if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
        throw new IllegalArgumentException("'" + pair.trim() + "' is not key=value");
      }
      labels.put(kv[0].trim(), kv[1].trim());
    }
    return labels;
  }

  private static int parsePositiveInt(String raw) {
    int value = parseInt(raw);
    if (value < 1) {
      throw new IllegalArgumentException("must be at least 1");
    }
    return value;
  }

  private static int parsePort(String raw) {
    int value = parseInt(raw);
    if (value < 0 || value > 65535) {
      throw new IllegalArgumentException("must be a port number between 0 and 65535");
    }
    return value;
  }

  private static int parseInt(String raw) {
    try {
      return Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a whole number");
    }
  }

  /** Strict, unlike {@link Boolean#parseBoolean}, which reads a typo such as "ture" as false. */
  private static boolean parseBoolean(String raw) {
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("must be true or false");
    };
  }

  private static Duration parseDuration(String raw) {
    try {
      return Duration.parse(raw);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not an ISO-8601 duration such as PT5M or PT30S");
    }
  }

  private static Duration parsePositiveDuration(String raw) {
    Duration value = parseDuration(raw);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("must be longer than zero");
    }
    return value;
  }

  private static String parseChoice(String raw, String... choices) {
    for (String choice : choices) {
      if (choice.equals(raw)) {
        return choice;
      }
    }
    throw new IllegalArgumentException("must be one of " + String.join(", ", choices));
  }
}
