package io.rspark.e2e;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Spark's own JVM Spark Connect client of a Spark line, run as a separate JVM the way a laptop runs
 * it: a bridge module's {@code io.rspark.bridge.testing.ConnectQuery} with the client jar and the
 * SPARK_HOME its build made ({@code images/r-executor/<module>/target}, as e2e/images/build.sh uses
 * them): module {@code bridge} for Spark 3.5, {@code bridge-spark-4.2} for 4.2.
 */
final class ConnectQuery {
  private ConnectQuery() {}

  record Result(int exitCode, String output, Duration seconds) {}

  /** With the 3.5 line's client. */
  static Result run(String url, String sql) throws IOException, InterruptedException {
    return run("bridge", url, sql);
  }

  static Result run(String bridgeModule, String url, String sql)
      throws IOException, InterruptedException {
    Path bridge = E2eEnvironment.repo().resolve("images/r-executor/" + bridgeModule + "/target");
    Path clientJar = bridge.resolve("connect-client/spark-connect-client-jvm.jar");
    Path sparkHome = bridge.resolve("spark-home");
    if (!Files.isRegularFile(clientJar) || !Files.isDirectory(bridge.resolve("test-classes"))) {
      throw new IllegalStateException(
          clientJar + " or the bridge's test classes are missing: run mvn -B verify first");
    }
    List<String> classPath = new ArrayList<>();
    classPath.add(bridge.resolve("test-classes").toString());
    try (Stream<Path> jars = Files.list(sparkHome.resolve("jars"))) {
      jars.filter(jar -> jar.getFileName().toString().startsWith("xbean-asm9-shaded"))
          .forEach(jar -> classPath.add(jar.toString()));
    }
    // What the bridge's test helpers link against besides Spark.
    classPath.add(jarOf(org.junit.jupiter.api.Assumptions.class));
    classPath.add(jarOf(org.assertj.core.api.Assertions.class));
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "-Drspark.spark.home=" + sparkHome,
            "-Drspark.connect.client.jar=" + clientJar,
            "-cp",
            String.join(File.pathSeparator, classPath),
            "io.rspark.bridge.testing.ConnectQuery",
            url,
            sql);
    Path output = Files.createTempFile("rspark-connect-client", ".log");
    try {
      long t0 = System.nanoTime();
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!process.waitFor(E2eEnvironment.timeout().toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(
            "the Spark Connect client did not finish: " + Files.readString(output));
      }
      return new Result(
          process.exitValue(),
          Files.readString(output, StandardCharsets.UTF_8),
          Duration.ofNanos(System.nanoTime() - t0));
    } finally {
      Files.delete(output);
    }
  }

  /**
   * {@code kubectl rspark connect CLUSTER --print}: the printed {@code sc://} URL, with the
   * port-forward held until closed.
   */
  record Forward(Process plugin, String url) implements AutoCloseable {
    static Forward open(Namespace ns, String cluster) throws IOException {
      Process plugin = Attach.printing(ns, "connect", cluster);
      String url =
          new BufferedReader(new InputStreamReader(plugin.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      if (url == null) {
        plugin.destroy();
        throw new IOException("kubectl rspark connect --print printed no URL");
      }
      return new Forward(plugin, url);
    }

    @Override
    public void close() throws InterruptedException {
      plugin.destroy();
      plugin.waitFor();
    }
  }

  /** Says what the driver logged: for the description of a failed Connect assertion. */
  static String driverLog(Namespace ns, String cluster) {
    return "the driver's log:\n"
        + ns.kubectl("logs", cluster + "-driver", "-c", "spark", "--tail=300");
  }

  private static String jarOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
