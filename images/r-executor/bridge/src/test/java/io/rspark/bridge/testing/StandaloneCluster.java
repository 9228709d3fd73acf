package io.rspark.bridge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A standalone master and workers started from the test SPARK_HOME's jars, without authentication,
 * each worker on its own loopback address so that the master can tell them apart by host (as it
 * tells worker pods apart by their IPs). Decommissioning is enabled as the operator enables it.
 */
public final class StandaloneCluster implements AutoCloseable {
  /** What the operator's spark-defaults.conf enables for decommissioning, as JVM options. */
  public static final List<String> DECOMMISSION_OPTIONS =
      List.of(
          "-Dspark.decommission.enabled=true",
          "-Dspark.storage.decommission.enabled=true",
          "-Dspark.storage.decommission.shuffleBlocks.enabled=true",
          "-Dspark.storage.decommission.rddBlocks.enabled=true",
          "-Dspark.master.ui.decommission.allow.mode=ALLOW");

  /**
   * A driver of this cluster on loopback, with the decommission options above, as the bridge gets
   * them from the operator's spark-defaults.conf.
   */
  public SparkSession.Builder driver(String appName) {
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName(appName)
            .master(masterUrl())
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .config("spark.executor.memory", "512m");
    for (String option : DECOMMISSION_OPTIONS) {
      String[] keyValue = option.substring("-D".length()).split("=", 2);
      builder.config(keyValue[0], keyValue[1]);
    }
    return builder;
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public final Path sparkHome;
  public final int masterPort;
  public final int masterUiPort;
  public final LoggedProcess master;
  public final Map<String, LoggedProcess> workers = new HashMap<>();
  private final Path dir;

  private StandaloneCluster(
      Path dir, Path sparkHome, int masterPort, int masterUiPort, LoggedProcess master) {
    this.dir = dir;
    this.sparkHome = sparkHome;
    this.masterPort = masterPort;
    this.masterUiPort = masterUiPort;
    this.master = master;
  }

  /** Starts the master, reachable on 127.0.0.1. */
  public static StandaloneCluster startMaster(Path dir) throws IOException {
    Path sparkHome = Prerequisites.sparkHome();
    int port = LoggedProcess.freePort();
    int uiPort = LoggedProcess.freePort();
    List<String> command = new ArrayList<>(List.of("java", "-Xmx256m"));
    command.addAll(DECOMMISSION_OPTIONS);
    command.addAll(
        List.of(
            "-cp",
            sparkHome.resolve("jars") + "/*",
            "org.apache.spark.deploy.master.Master",
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port),
            "--webui-port",
            Integer.toString(uiPort)));
    LoggedProcess master =
        LoggedProcess.start("master", command, Map.of("SPARK_LOCAL_IP", "127.0.0.1"), dir);
    StandaloneCluster cluster = new StandaloneCluster(dir, sparkHome, port, uiPort, master);
    master.await("the master's JSON", Duration.ofSeconds(60), () -> cluster.tryJson() != null);
    return cluster;
  }

  public String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  public URI masterUi() {
    return URI.create("http://127.0.0.1:" + masterUiPort);
  }

  /** Starts a worker bound to {@code host} (a loopback address such as 127.0.0.2). */
  public LoggedProcess startWorker(String host, int cores) throws IOException {
    Path workDir = dir.resolve("worker-" + host);
    List<String> command = new ArrayList<>(List.of("java", "-Xmx256m"));
    command.addAll(DECOMMISSION_OPTIONS);
    command.addAll(
        List.of(
            "-cp",
            sparkHome.resolve("jars") + "/*",
            "org.apache.spark.deploy.worker.Worker",
            masterUrl(),
            "--host",
            host,
            "--port",
            Integer.toString(LoggedProcess.freePort()),
            "--webui-port",
            Integer.toString(LoggedProcess.freePort()),
            "--cores",
            Integer.toString(cores),
            "--memory",
            "1g",
            "--work-dir",
            workDir.resolve("work").toString()));
    Map<String, String> env =
        Map.of(
            "SPARK_HOME",
            sparkHome.toString(),
            "SPARK_SCALA_VERSION",
            Prerequisites.sparkScalaVersion(),
            "SPARK_LOCAL_IP",
            host,
            "SPARK_LOCAL_DIRS",
            workDir.resolve("local").toString());
    LoggedProcess worker = LoggedProcess.start("worker-" + host, command, env, dir);
    workers.put(host, worker);
    worker.await("registration with the master", Duration.ofSeconds(60), () -> alive(host));
    return worker;
  }

  /** {@code GET /json/} of the master, or null while it does not answer. */
  public JsonNode tryJson() {
    try {
      return json();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  public JsonNode json() throws IOException {
    return get(masterUi().resolve("/json/"));
  }

  /** {@code GET /json/} of the worker on {@code host}, at the web UI address it registered. */
  public JsonNode workerJson(String host) throws IOException {
    JsonNode w = worker(host);
    if (w == null) {
      throw new IOException("no worker on " + host);
    }
    return get(URI.create(w.path("webuiaddress").asText()).resolve("/json/"));
  }

  /** Executors the worker on {@code host} runs by its own account, or -1 when it does not say. */
  public int workerExecutors(String host) {
    try {
      return workerJson(host).path("executors").size();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static JsonNode get(URI uri) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("GET " + uri + " answered " + response.statusCode());
      }
      return JSON.readTree(response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** The master's entry for the worker on {@code host} (the newest, when it registered twice). */
  public JsonNode worker(String host) {
    JsonNode json = tryJson();
    JsonNode found = null;
    if (json != null) {
      for (JsonNode w : json.path("workers")) {
        if (host.equals(w.path("host").asText())) {
          found = w;
        }
      }
    }
    return found;
  }

  public String workerState(String host) {
    JsonNode w = worker(host);
    return w == null ? null : w.path("state").asText();
  }

  public int workerCoresUsed(String host) {
    JsonNode w = worker(host);
    return w == null ? -1 : w.path("coresused").asInt();
  }

  private boolean alive(String host) {
    return "ALIVE".equals(workerState(host));
  }

  /**
   * The request the operator sends to decommission the workers of one pod: {@code POST
   * /workers/kill/?host=<ip>} on the master's UI port. Returns the HTTP status.
   */
  public int decommission(String host) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(masterUi().resolve("/workers/kill/?host=" + host))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Override
  public void close() {
    try {
      workers.values().forEach(LoggedProcess::close);
    } finally {
      master.close();
    }
  }
}
