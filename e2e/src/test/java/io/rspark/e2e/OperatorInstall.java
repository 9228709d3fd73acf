package io.rspark.e2e;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Installs the operator for the run, the way users do: the Helm chart (through a real Helm engine)
 * with the operator image when one is given, else the CRD from crds/ and the operator jar as a
 * process here against the test cluster (what scripts/run-operator.sh does).
 */
final class OperatorInstall implements AutoCloseable {
  private static final String RELEASE = "rspark-e2e";
  private static final String POD_SELECTOR = "app.kubernetes.io/instance=" + RELEASE;

  private final String namespace;
  private final Path logFile;
  private Process jar;
  private boolean helm;

  private OperatorInstall(String namespace, Path logFile) {
    this.namespace = namespace;
    this.logFile = logFile;
  }

  static OperatorInstall install(String namespace) throws IOException {
    OperatorInstall install =
        new OperatorInstall(namespace, Files.createTempFile("rspark-e2e-operator", ".log"));
    Path chart = E2eEnvironment.repo().resolve("charts/rspark-operator");
    String image = E2eEnvironment.operatorImage();
    if (Files.isDirectory(chart) && image != null) {
      install.installChart(chart, image);
    } else {
      install.startJar();
    }
    return install;
  }

  private void installChart(Path chart, String image) throws IOException {
    int colon = image.lastIndexOf(':');
    if (colon <= image.lastIndexOf('/')) {
      throw new IllegalArgumentException("operator image needs a tag: " + image);
    }
    Path values = Files.createTempFile("rspark-e2e-values", ".yaml");
    Files.writeString(
        values,
        """
        image: {repository: "%s", tag: "%s"}
        watchNamespaces: ["%s"]
        operator: {sparkImages: {"3.5": "%s", "4.2": "%s"}}
        """
            .formatted(
                image.substring(0, colon),
                image.substring(colon + 1),
                namespace,
                E2eEnvironment.executorImage(),
                E2eEnvironment.executorImage42()));
    new Helm(chart)
        .install()
        .withName(RELEASE)
        .withNamespace(namespace)
        .withKubeConfig(Path.of(E2eEnvironment.kubeconfig()))
        .withValuesFile(values)
        .waitReady()
        .withTimeout(300)
        .call();
    helm = true;
    System.out.println("[rspark-e2e] operator installed with Helm from " + chart + ", " + image);
  }

  private void startJar() throws IOException {
    Path repo = E2eEnvironment.repo();
    Path jarFile = repo.resolve("operator/target/rspark-operator.jar");
    if (!Files.isRegularFile(jarFile)) {
      throw new IllegalStateException(
          jarFile + " is missing: build it first (mvn -B -DskipTests package -pl operator -am)");
    }
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
    ProcessBuilder pb =
        new ProcessBuilder("java", "-jar", jarFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    pb.environment().put("KUBECONFIG", E2eEnvironment.kubeconfig());
    pb.environment().put("RSPARK_INSTALL_CRDS", "false");
    pb.environment().put("RSPARK_WATCH_NAMESPACES", namespace);
    pb.environment().put("RSPARK_LEADER_ELECTION_ENABLED", "false");
    pb.environment().put("RSPARK_HEALTH_PORT", "0");
    pb.environment().put("RSPARK_METRICS_PORT", "0");
    pb.environment().put("RSPARK_IMAGE_SPARK_3_5", E2eEnvironment.executorImage());
    pb.environment().put("RSPARK_IMAGE_SPARK_4_2", E2eEnvironment.executorImage42());
    jar = pb.start();
    System.out.println("[rspark-e2e] operator jar running here; log: " + logFile);
  }

  /**
   * Kills the operator without a chance to clean up (SIGKILL, or a pod deleted with no grace
   * period) and starts it again: the Deployment's new pod, or a new jar process.
   */
  void killAndRestart() throws IOException, InterruptedException {
    if (helm) {
      Kubectl.run(
          "-n",
          namespace,
          "delete",
          "pod",
          "-l",
          POD_SELECTOR,
          "--grace-period=0",
          "--force",
          "--wait=false");
    } else {
      jar.destroyForcibly().waitFor();
      startJar();
    }
  }

  /** The operator's log: its pods' containers (chart) or the jar's output. */
  String log() {
    if (helm) {
      return Kubectl.tryExec(
              java.util.List.of(
                  "kubectl",
                  "-n",
                  namespace,
                  "logs",
                  "-l",
                  POD_SELECTOR,
                  "--tail=400",
                  "--all-containers"),
              null,
              Duration.ofMinutes(1))
          .output();
    }
    try {
      return Files.readString(logFile);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** The operator process's resident memory, as its /proc/PID/status says ("VmRSS: N kB"). */
  String residentMemory() throws IOException {
    String status;
    if (helm) {
      status =
          Kubectl.run(
              "-n",
              namespace,
              "exec",
              "deploy/" + RELEASE + "-rspark-operator",
              "--",
              "cat",
              "/proc/1/status");
    } else {
      status = Files.readString(Path.of("/proc", Long.toString(jar.pid()), "status"));
    }
    return status
        .lines()
        .filter(l -> l.startsWith("VmRSS:"))
        .map(l -> l.substring("VmRSS:".length()).trim())
        .findFirst()
        .orElse("unknown");
  }

  /** Whether the operator runs: its Deployment's pod is Ready (chart) or the jar lives. */
  boolean alive() {
    if (!helm) {
      return jar.isAlive();
    }
    String ready =
        Kubectl.run(
            "-n",
            namespace,
            "get",
            "pods",
            "-l",
            POD_SELECTOR,
            "-o",
            "jsonpath={.items[*].status.containerStatuses[*].ready}");
    return ready.contains("true");
  }

  @Override
  public void close() throws Exception {
    if (helm) {
      Helm.uninstall(RELEASE)
          .withNamespace(namespace)
          .withKubeConfig(Path.of(E2eEnvironment.kubeconfig()))
          .call();
    } else if (jar != null) {
      jar.destroy();
      if (!jar.waitFor(20, TimeUnit.SECONDS)) {
        jar.destroyForcibly();
      }
    }
  }
}
