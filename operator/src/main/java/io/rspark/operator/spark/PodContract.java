package io.rspark.operator.spark;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The contract between the operator and the r-executor image, in one place: what the operator puts
 * into every pod and what the image relies on. docs/pod-contract.md describes the same contract for
 * the image's authors; {@code PodContractDocTest} keeps the two in step. It sits with the Spark
 * configuration because both the rendered spark-defaults.conf (ports, paths) and the pods built in
 * {@code resources} are written against it.
 */
public final class PodContract {
  /** UID and GID of the Spark user in the official Spark images; pods run as it. */
  public static final long SPARK_UID = 185;

  /** Name of the main container in driver and worker pods. */
  public static final String CONTAINER = "spark";

  // Ports: the driver pod.
  public static final int MASTER_PORT = 7077;

  /**
   * A worker removed by the operator has been decommissioned already; one deleted by someone else
   * (node drain, eviction, kubectl delete) decommissions itself in its preStop hook within this
   * period, which the hook's time counts against.
   */
  public static final long WORKER_TERMINATION_GRACE_SECONDS = 120;

  /** The image's entrypoint; the worker container's preStop hook runs it. */
  public static final String ENTRYPOINT = "/opt/rspark/bin/rspark-entrypoint";

  /** The entrypoint's role for the worker container's preStop hook. */
  public static final String DECOMMISSION_ROLE = "decommission";

  /**
   * How long the preStop hook waits for the worker's executors to leave: below {@link
   * #WORKER_TERMINATION_GRACE_SECONDS}, so the worker still gets its SIGTERM and time to stop.
   */
  public static final long WORKER_DECOMMISSION_SECONDS = 100;

  public static final long DRIVER_TERMINATION_GRACE_SECONDS = 30;
  public static final int MASTER_UI_PORT = 8080;
  public static final int APP_UI_PORT = 4040;
  public static final int SPARKLYR_GATEWAY_PORT = 8880;
  public static final int SPARKR_BACKEND_PORT = 8890;

  /**
   * Spark Connect (gRPC) of the bridge, with spec.connect.enabled: Spark's default port, so
   * clients' defaults fit. Spark 3.5's server binds every interface; its bearer token is the gate.
   */
  public static final int CONNECT_PORT = 15002;

  /**
   * The backend ports of {@code sessions} concurrent sparklyr sessions: sparklyr's gateway gives
   * each session the first free port above its own (8881, 8882, ...), and its R client connects to
   * that port number on the gateway's host, so a port-forward or a NetworkPolicy must cover exactly
   * these.
   */
  public static List<Integer> sparklyrBackendPorts(int sessions) {
    return IntStream.rangeClosed(SPARKLYR_GATEWAY_PORT + 1, SPARKLYR_GATEWAY_PORT + sessions)
        .boxed()
        .toList();
  }

  /** The bridge's sparklyr gateway serves one fixed session id: sparklyr://host:8880/1. */
  public static final int SPARKLYR_SESSION_ID = 1;

  /** HTTP readiness of the driver: the bridge answers 200 on {@link #READY_PATH} once serving. */
  public static final int BRIDGE_HEALTH_PORT = 8899;

  public static final String READY_PATH = "/ready";

  /**
   * With scheduler: kubernetes, the driver's RPC and block-manager ports, fixed so that executors
   * call back through the headless driver Service.
   */
  public static final int DRIVER_RPC_PORT = 7079;

  public static final int DRIVER_BLOCK_PORT = 7080;

  // Ports: a worker pod.
  public static final int WORKER_PORT = 7078;
  public static final int WORKER_UI_PORT = 8081;

  // Mounts.
  /** The Secret with the Spark authentication secret, a single file {@link #AUTH_SECRET_KEY}. */
  public static final String AUTH_DIR = "/etc/rspark/auth";

  public static final String AUTH_SECRET_KEY = "spark-auth-secret";

  /** The ConfigMap: {@link #SPARK_DEFAULTS_KEY}, read-only. */
  public static final String CONFIG_DIR = "/etc/rspark/conf";

  public static final String SPARK_DEFAULTS_KEY = "spark-defaults.conf";

  /**
   * With scheduler: kubernetes, the driver mounts the executor pod template ConfigMap here; Spark
   * reads {@link #EXECUTOR_TEMPLATE_FILE} (spark.kubernetes.executor.podTemplateFile).
   */
  public static final String EXECUTOR_TEMPLATE_DIR = "/etc/rspark/executor";

  public static final String EXECUTOR_TEMPLATE_KEY = "executor-pod.yaml";

  public static final String EXECUTOR_TEMPLATE_FILE =
      EXECUTOR_TEMPLATE_DIR + "/" + EXECUTOR_TEMPLATE_KEY;

  /** The CA of the API server, where the kubelet mounts the driver's service-account token. */
  public static final String SERVICE_ACCOUNT_CA_FILE =
      "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";

  /**
   * Pod-local, writable: the entrypoint writes the effective spark-defaults.conf here (0600, {@code
   * SPARK_CONF_DIR}), merging the ConfigMap with the secret read from {@link #AUTH_DIR}.
   */
  public static final String RUNTIME_CONF_DIR = "/opt/rspark/run/conf";

  /** Pod-local, writable: Spark worker and executor directories, scratch space. */
  public static final String WORK_DIR = "/opt/rspark/work";

  public static final String TMP_DIR = "/tmp";

  /**
   * Pod-local, writable: the cluster's R library. The init container {@link #INSTALL_CONTAINER}
   * installs spec.r.packages here; R in the driver and on the executors puts it first on its
   * library path.
   */
  public static final String R_LIBRARY_DIR = "/opt/rspark/rlib";

  /** Name of the init container, and its role argument, when spec.r.packages is not empty. */
  public static final String INSTALL_CONTAINER = "install-packages";

  /** Where the bridge binds its R ports when no clients are allowed in: loopback only. */
  public static final String LOOPBACK = "127.0.0.1";

  /** Where it binds them when spec.access.clientSelector lets pods in. */
  public static final String ANY_ADDRESS = "0.0.0.0";

  /** The executor R launcher in the image; the operator sets it as spark.r.command. */
  public static final String R_LAUNCHER = "/opt/rspark/bin/rspark-r";

  // Environment the operator sets; the image reads it. Names under RSPARK_ are reserved.
  public static final String ENV_ROLE = "RSPARK_ROLE";
  public static final String ENV_CLUSTER = "RSPARK_CLUSTER";
  public static final String ENV_MASTER_URL = "RSPARK_MASTER_URL";
  public static final String ENV_AUTH_SECRET_FILE = "RSPARK_AUTH_SECRET_FILE";
  public static final String ENV_SPARK_DEFAULTS_FILE = "RSPARK_SPARK_DEFAULTS_FILE";
  public static final String ENV_MEMORY_LIMIT_MIB = "RSPARK_MEMORY_LIMIT_MIB";
  public static final String ENV_POD_IP = "RSPARK_POD_IP";
  public static final String ENV_POD_NAME = "RSPARK_POD_NAME";
  public static final String ENV_R_LIBRARY = "RSPARK_R_LIBRARY";

  /** Init container only: the packages, comma-separated. */
  public static final String ENV_R_PACKAGES = "RSPARK_R_PACKAGES";

  /** Init container only: the repository URLs, comma-separated, in order. */
  public static final String ENV_R_REPOS = "RSPARK_R_REPOS";

  /** Workers only: the preStop hook's {@link #WORKER_DECOMMISSION_SECONDS}. */
  public static final String ENV_DECOMMISSION_SECONDS = "RSPARK_DECOMMISSION_SECONDS";

  /** Driver only: how many sparklyr sessions have a backend port (spec.r.sparklyrSessions). */
  public static final String ENV_SPARKLYR_SESSIONS = "RSPARK_SPARKLYR_SESSIONS";

  /** Driver only: the address the bridge binds the sparklyr gateway and SparkR backend to. */
  public static final String ENV_BRIDGE_ADDRESS = "RSPARK_BRIDGE_ADDRESS";

  /** Driver only, with spec.connect.enabled: the port the bridge serves Spark Connect on. */
  public static final String ENV_CONNECT_PORT = "RSPARK_CONNECT_PORT";

  // Spark's own variables, read by the standalone Master and Worker themselves.
  public static final String ENV_SPARK_CONF_DIR = "SPARK_CONF_DIR";
  public static final String ENV_SPARK_WORKER_CORES = "SPARK_WORKER_CORES";
  public static final String ENV_SPARK_WORKER_MEMORY = "SPARK_WORKER_MEMORY";
  public static final String ENV_SPARK_WORKER_DIR = "SPARK_WORKER_DIR";
  public static final String ENV_SPARK_LOCAL_DIRS = "SPARK_LOCAL_DIRS";

  /**
   * The Scala version of the cluster's Spark line (2.12, 2.13): a standalone worker builds executor
   * commands from it, and the image's own value must not decide for a line it was not built for.
   */
  public static final String ENV_SPARK_SCALA_VERSION = "SPARK_SCALA_VERSION";

  /** The SPARK_SCALA_VERSION of an image that sets none: the entrypoint's default. */
  public static final String DEFAULT_SCALA_VERSION = "2.12";

  private PodContract() {}
}
