package io.rspark.bridge.testing;

import static org.assertj.core.api.Assertions.fail;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the tests' tools are, and what happens when one is missing: in CI (CI=true), whose set-up
 * installs them, the test fails; elsewhere it is skipped with what to install.
 */
public final class Prerequisites {
  private Prerequisites() {}

  public static Path repoRoot() {
    String root = System.getProperty("rspark.repo.root");
    Path path = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
    while (!Files.isDirectory(path.resolve("images/r-executor"))) {
      path = path.getParent();
      if (path == null) {
        throw new IllegalStateException("not inside the rspark-operator repository");
      }
    }
    return path;
  }

  public static Path imageDir() {
    return repoRoot().resolve("images/r-executor");
  }

  /** The SPARK_HOME made of Maven jars by the pre-integration-test phase. */
  public static Path sparkHome() {
    String home = System.getProperty("rspark.spark.home");
    Path path = home == null ? null : Path.of(home);
    if (path == null || !Files.isDirectory(path.resolve("jars"))) {
      missing("the test SPARK_HOME (target/spark-home, made by `mvn verify`)");
    }
    return path;
  }

  /** The Spark version under test (the module's failsafe configuration sets it). */
  public static String sparkVersion() {
    return lineProperty("rspark.spark.version");
  }

  /**
   * The Scala version of the Spark line under test (2.12 for 3.5, 2.13 for 4.x), set by the
   * module's failsafe configuration: a worker needs it as SPARK_SCALA_VERSION to build executor
   * commands.
   */
  public static String sparkScalaVersion() {
    return lineProperty("rspark.spark.scala.version");
  }

  private static String lineProperty(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      throw new IllegalStateException(
          name + " is not set (each bridge module's failsafe configuration sets it)");
    }
    return value;
  }

  public static Path bridgeJar() {
    Path jar = Path.of(System.getProperty("rspark.bridge.jar", "target/rspark-bridge.jar"));
    if (!Files.isRegularFile(jar)) {
      missing("the bridge jar (target/rspark-bridge.jar, made by `mvn verify`)");
    }
    return jar;
  }

  public static String rscript() {
    if (!onPath("Rscript")) {
      missing("Rscript (apt-get install r-base-core)");
    }
    return "Rscript";
  }

  /**
   * An IPv4 address of this machine that is not loopback, as a pod IP is: a process told to bind it
   * cannot be reached on 127.0.0.1.
   */
  public static String nonLoopbackAddress() {
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
            return address.getHostAddress();
          }
        }
      }
    } catch (SocketException e) {
      throw new IllegalStateException("cannot list this machine's network interfaces", e);
    }
    missing("an IPv4 address other than loopback on this machine");
    return null;
  }

  /** {@code file}, or the test fails in CI and is skipped elsewhere. */
  public static Path requireFile(Path file, String what) {
    if (!Files.isRegularFile(file)) {
      missing(what + " (" + file + ")");
    }
    return file;
  }

  public static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  private static void missing(String what) {
    if ("true".equals(System.getenv("CI"))) {
      fail("missing in CI: " + what + "; .ci/run installs it");
    }
    Assumptions.abort("skipped: " + what + " is missing");
  }
}
