package io.rspark.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Installs the operator for the run, the way users do: the Helm chart with the operator image when
 * the chart and an operator image are there, else the CRD from crds/ and the operator jar as a
 * process here against KUBECONFIG (what scripts/run-operator.sh does).
 */
final class OperatorInstall implements AutoCloseable {
  private static final String RELEASE = "rspark-e2e";

  private final String namespace;
  private final Path logFile;
  private Process jar;
  private boolean helm;

  private OperatorInstall(String namespace, Path logFile) {
    this.namespace = namespace;
    this.logFile = logFile;
  }

  static OperatorInstall install(String namespace) throws IOException {
    Path repo = E2eEnvironment.repo();
    OperatorInstall install =
        new OperatorInstall(namespace, Files.createTempFile("rspark-e2e-operator", ".log"));
    Path chart = repo.resolve("charts/rspark-operator");
    String image = E2eEnvironment.operatorImage();
    if (Files.isDirectory(chart) && image != null) {
      int colon = image.lastIndexOf(':');
      if (colon <= image.lastIndexOf('/')) {
        throw new IllegalArgumentException("operator image needs a tag: " + image);
      }
      Kubectl.exec(
          List.of(
              "helm",
              "upgrade",
              "--install",
              RELEASE,
              chart.toString(),
              "--namespace",
              namespace,
              "--set",
              "image.repository=" + image.substring(0, colon),
              "--set",
              "image.tag=" + image.substring(colon + 1),
              "--set",
              "watchNamespaces={" + namespace + "}",
              "--set",
              "operator.defaultImage=" + E2eEnvironment.executorImage(),
              "--wait",
              "--timeout",
              "5m"),
          null,
          Duration.ofMinutes(6));
      install.helm = true;
      System.out.println("[rspark-e2e] operator installed with Helm from " + chart);
    } else {
      Path jarFile = repo.resolve("operator/target/rspark-operator.jar");
      if (!Files.isRegularFile(jarFile)) {
        throw new IllegalStateException(
            jarFile + " is missing: build it first (mvn -B -DskipTests package -pl operator -am)");
      }
      ProcessBuilder pb =
          new ProcessBuilder("java", "-jar", jarFile.toString())
              .redirectErrorStream(true)
              .redirectOutput(install.logFile.toFile());
      pb.environment().put("RSPARK_INSTALL_CRDS", "false");
      pb.environment().put("RSPARK_WATCH_NAMESPACES", namespace);
      pb.environment().put("RSPARK_LEADER_ELECTION_ENABLED", "false");
      pb.environment().put("RSPARK_HEALTH_PORT", "0");
      pb.environment().put("RSPARK_METRICS_PORT", "0");
      pb.environment().put("RSPARK_DEFAULT_IMAGE", E2eEnvironment.executorImage());
      Kubectl.run(
          null,
          Duration.ofMinutes(2),
          "apply",
          "--server-side",
          "--force-conflicts",
          "-f",
          repo.resolve("crds").toString());
      Kubectl.run(
          null,
          Duration.ofMinutes(2),
          "wait",
          "--for=condition=Established",
          "crd/rsparkclusters.rspark.io",
          "--timeout=90s");
      install.jar = pb.start();
      System.out.println(
          "[rspark-e2e] operator jar running here (no chart or no -Drspark.e2e.operator-image);"
              + " log: "
              + install.logFile);
    }
    return install;
  }

  String log() {
    try {
      return Files.readString(logFile);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  boolean alive() {
    return helm || jar.isAlive();
  }

  @Override
  public void close() throws Exception {
    if (helm) {
      Kubectl.exec(
          List.of("helm", "uninstall", RELEASE, "--namespace", namespace, "--wait"),
          null,
          Duration.ofMinutes(3));
    } else if (jar != null) {
      jar.destroy();
      if (!jar.waitFor(20, TimeUnit.SECONDS)) {
        jar.destroyForcibly();
      }
    }
  }
}
