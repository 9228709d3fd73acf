package io.rspark.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged operator jar as a child process, the way {@code scripts/run-operator.sh} and the
 * image run it. Its stdout and stderr go to {@code <name>.out} and {@code <name>.err} under {@code
 * operator/target/<logDir>}, where a failed run can be read afterwards.
 */
public record OperatorProcess(Process process, Path out, Path err, Map<String, String> env)
    implements AutoCloseable {
  public static final Path JAR = RepoPaths.root().resolve("operator/target/rspark-operator.jar");

  /**
   * Starts {@code java <jvmOptions> -jar JAR} with {@code env} and nothing from the developer's own
   * environment that would change what it does: no kube context, no rspark options, no HOSTNAME
   * (the leader identity).
   */
  public static OperatorProcess start(
      String logDir, String name, List<String> jvmOptions, Map<String, String> env)
      throws IOException {
    assertThat(JAR).as("the packaged jar (failsafe runs after package)").exists();
    Path logs = RepoPaths.root().resolve("operator/target").resolve(logDir);
    Files.createDirectories(logs);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(JAR.toString());
    Path out = logs.resolve(name + ".out");
    Path err = logs.resolve(name + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("RSPARK_") || k.equals("KUBECONFIG"));
    builder.environment().remove("HOSTNAME");
    builder.environment().putAll(env);
    return new OperatorProcess(builder.start(), out, err, Map.copyOf(env));
  }

  /** A path of its health server, at the RSPARK_HEALTH_PORT it was given. */
  public URI health(String path) {
    return URI.create("http://127.0.0.1:" + env.get("RSPARK_HEALTH_PORT") + path);
  }

  /** A path of its metrics server, at the RSPARK_METRICS_PORT it was given. */
  public URI metrics(String path) {
    return URI.create("http://127.0.0.1:" + env.get("RSPARK_METRICS_PORT") + path);
  }

  public String stdout() throws IOException {
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  public String stderr() throws IOException {
    return Files.readString(err, StandardCharsets.UTF_8);
  }

  public String output() throws IOException {
    return stdout() + stderr();
  }

  /** Kills it if it still runs: clean-up after a test, whatever the test did to it. */
  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** A port free now, for RSPARK_HEALTH_PORT and RSPARK_METRICS_PORT. */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
