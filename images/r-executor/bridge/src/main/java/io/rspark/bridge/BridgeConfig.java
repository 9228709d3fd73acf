package io.rspark.bridge;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;

/**
 * What the bridge needs to start, read once from the pod's environment (docs/pod-contract.md) and
 * from system properties that only the image's entrypoint or a test sets.
 *
 * @param masterUrl {@code spark://…} with workers, {@code local[*]} without
 * @param appName the name of the shared Spark application
 * @param sparkDefaultsFile the ConfigMap's spark-defaults.conf (no secret in it), if mounted
 * @param authSecretFile the cluster's Spark authentication secret, if mounted
 * @param driverHost the address executors reach the driver at (the pod IP), if known
 * @param sparkRSecretFile where the SparkR backend's own secret is written for R sessions (0600)
 * @param sparkRPort the SparkR backend port on loopback
 * @param sparklyrPort the sparklyr gateway port on loopback
 * @param sparklyrSession the sparklyr session id served by the gateway
 * @param sparklyrSessions how many sparklyr sessions get a backend port that port-forwards and the
 *     NetworkPolicy cover: sparklyrPort + 1 to sparklyrPort + sparklyrSessions
 * @param sparklyrJar sparklyr's backend jar (from the installed R package); the gateway is off when
 *     it does not exist
 * @param healthPort the readiness port, on all interfaces (the kubelet probes the pod IP)
 * @param bindAddress where the SparkR relay and the sparklyr gateway listen: loopback unless the
 *     operator lets client pods in (RSPARK_BRIDGE_ADDRESS, see docs/pod-contract.md)
 * @param connectPort where Spark Connect listens (RSPARK_CONNECT_PORT), or empty when it is off;
 *     Spark 3.5's server binds every interface, its bearer token is the gate
 */
public record BridgeConfig(
    String masterUrl,
    String appName,
    Optional<Path> sparkDefaultsFile,
    Optional<Path> authSecretFile,
    Optional<String> driverHost,
    Path sparkRSecretFile,
    int sparkRPort,
    int sparklyrPort,
    int sparklyrSession,
    int sparklyrSessions,
    Path sparklyrJar,
    int healthPort,
    String bindAddress,
    OptionalInt connectPort) {

  public static final int SPARKR_PORT = 8890;
  public static final int SPARKLYR_PORT = 8880;
  public static final int HEALTH_PORT = 8899;
  public static final int SPARKLYR_SESSION = 1;
  public static final int SPARKLYR_SESSIONS = 8;
  public static final String LOOPBACK = "127.0.0.1";

  /** The file name of the SparkR secret inside {@code SPARK_CONF_DIR}; Rprofile.site reads it. */
  public static final String SPARKR_SECRET_NAME = "sparkr-backend-secret";

  public static BridgeConfig from(Map<String, String> env, Properties props) {
    Path confDir = Path.of(env.getOrDefault("SPARK_CONF_DIR", "/opt/rspark/run/conf"));
    return new BridgeConfig(
        nonBlank(env.get("RSPARK_MASTER_URL")).orElse("local[*]"),
        "rspark-" + nonBlank(env.get("RSPARK_CLUSTER")).orElse("cluster"),
        nonBlank(env.get("RSPARK_SPARK_DEFAULTS_FILE")).map(Path::of),
        nonBlank(env.get("RSPARK_AUTH_SECRET_FILE")).map(Path::of),
        nonBlank(env.get("RSPARK_POD_IP")),
        confDir.resolve(SPARKR_SECRET_NAME),
        intProperty(props, "rspark.bridge.sparkr.port", SPARKR_PORT),
        intProperty(props, "rspark.bridge.sparklyr.port", SPARKLYR_PORT),
        intProperty(props, "rspark.bridge.sparklyr.session", SPARKLYR_SESSION),
        nonBlank(env.get("RSPARK_SPARKLYR_SESSIONS"))
            .map(Integer::parseInt)
            .orElse(SPARKLYR_SESSIONS),
        Path.of(props.getProperty("rspark.bridge.sparklyr.jar", "/opt/rspark/lib/sparklyr.jar")),
        intProperty(props, "rspark.bridge.health.port", HEALTH_PORT),
        nonBlank(env.get("RSPARK_BRIDGE_ADDRESS")).orElse(LOOPBACK),
        nonBlank(env.get("RSPARK_CONNECT_PORT"))
            .map(port -> OptionalInt.of(Integer.parseInt(port)))
            .orElse(OptionalInt.empty()));
  }

  /** Whether R clients from other pods may connect (the operator bound the bridge wide). */
  public boolean remoteClients() {
    return !LOOPBACK.equals(bindAddress);
  }

  public boolean localMode() {
    return masterUrl.startsWith("local");
  }

  /**
   * Whether Spark's Kubernetes backend creates the executors (scheduler: kubernetes): the master is
   * the API server, {@code k8s://https://kubernetes.default.svc}, reached with the driver pod's own
   * service-account token.
   */
  public boolean kubernetesMode() {
    return masterUrl.startsWith("k8s://");
  }

  private static Optional<String> nonBlank(String value) {
    return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
  }

  private static int intProperty(Properties props, String key, int fallback) {
    String value = props.getProperty(key);
    return value == null ? fallback : Integer.parseInt(value.trim());
  }
}
