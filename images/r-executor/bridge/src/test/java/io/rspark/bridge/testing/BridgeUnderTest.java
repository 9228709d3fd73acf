package io.rspark.bridge.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The driver role of the image's entrypoint, started as the pod would, on free ports. */
public final class BridgeUnderTest implements AutoCloseable {
  public final ImageLayout layout;
  public final int sparkRPort;
  public final int healthPort;
  public final int sparklyrPort;
  public final LoggedProcess process;
  public final long startMillis;

  private BridgeUnderTest(
      ImageLayout layout, int sparkRPort, int healthPort, int sparklyrPort, LoggedProcess process) {
    this.layout = layout;
    this.sparkRPort = sparkRPort;
    this.healthPort = healthPort;
    this.sparklyrPort = sparklyrPort;
    this.process = process;
    this.startMillis = System.currentTimeMillis();
  }

  /**
   * Starts {@code rspark-entrypoint driver}; {@code env} adds the operator's variables
   * (RSPARK_MASTER_URL and so on).
   */
  public static BridgeUnderTest start(Path dir, String name, Map<String, String> env)
      throws IOException {
    return start(dir, name, env, Prerequisites.sparkHome(), Path.of("/nonexistent/sparklyr.jar"));
  }

  /** As above, with a given SPARK_HOME and sparklyr jar (the R-client tests bring real ones). */
  public static BridgeUnderTest start(
      Path dir, String name, Map<String, String> env, Path sparkHome, Path sparklyrJar)
      throws IOException {
    ImageLayout layout = ImageLayout.create(dir);
    int sparkR = LoggedProcess.freePort();
    int health = LoggedProcess.freePort();
    int sparklyr = LoggedProcess.freePort();
    Map<String, String> all = new HashMap<>();
    all.put("SPARK_HOME", sparkHome.toString());
    all.put("RSPARK_HOME", layout.home().toString());
    all.put("SPARK_CONF_DIR", layout.confDir().toString());
    all.put("SPARK_LOCAL_IP", "127.0.0.1");
    all.put("SPARK_LOCAL_DIRS", layout.home().resolve("work").toString());
    all.put("RSPARK_CLUSTER", name);
    all.put(
        "RSPARK_BRIDGE_OPTS",
        String.join(
            " ",
            "-Xmx768m",
            "-Drspark.bridge.sparkr.port=" + sparkR,
            "-Drspark.bridge.health.port=" + health,
            "-Drspark.bridge.sparklyr.port=" + sparklyr,
            "-Drspark.bridge.sparklyr.jar=" + sparklyrJar));
    all.putAll(env);
    LoggedProcess process =
        LoggedProcess.start(
            name, List.of("bash", layout.entrypoint().toString(), "driver"), all, dir);
    BridgeUnderTest bridge = new BridgeUnderTest(layout, sparkR, health, sparklyr, process);
    return bridge;
  }

  public BridgeUnderTest awaitReady(Duration timeout) {
    process.await("GET /ready 200", timeout, () -> readyStatus() == 200);
    return this;
  }

  public int readyStatus() {
    try {
      HttpResponse<Void> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/ready"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      return response.statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** {@code GET /activity} of the health server, parsed. */
  public com.fasterxml.jackson.databind.JsonNode activity() throws IOException {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/activity"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("GET /activity answered " + response.statusCode());
      }
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  public String sparkRSecret() throws IOException {
    return Files.readString(layout.sparkRSecretFile(), StandardCharsets.UTF_8);
  }

  public RBackendClient client() throws IOException {
    return RBackendClient.connect(sparkRPort, sparkRSecret());
  }

  @Override
  public void close() {
    process.close();
  }
}
