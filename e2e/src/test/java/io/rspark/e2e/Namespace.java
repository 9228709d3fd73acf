package io.rspark.e2e;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** A namespace of its own for a test class, and kubectl in it. */
final class Namespace {
  final String name;

  private Namespace(String name) {
    this.name = name;
  }

  static Namespace create(String prefix) {
    Namespace ns = new Namespace(prefix + "-" + UUID.randomUUID().toString().substring(0, 6));
    Kubectl.run("create", "namespace", ns.name);
    return ns;
  }

  String kubectl(String... args) {
    return run(Duration.ofMinutes(2), args);
  }

  String run(Duration timeout, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "-n";
    all[1] = name;
    System.arraycopy(args, 0, all, 2, args.length);
    return Kubectl.run(null, timeout, all);
  }

  String cluster(String cluster, String jsonpath) {
    return kubectl("get", "rsc/" + cluster, "-o", "jsonpath=" + jsonpath).trim();
  }

  /**
   * Waits for {@code kubectl wait --for=condition=Ready} on the cluster; returns the time taken.
   */
  Duration awaitReady(String cluster) {
    long t0 = System.nanoTime();
    Duration timeout = E2eEnvironment.timeout();
    run(
        timeout.plusSeconds(30),
        "wait",
        "--for=condition=Ready",
        "rsc/" + cluster,
        "--timeout=" + timeout.toSeconds() + "s");
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  /** Names of the cluster's pods that are not being deleted, sorted. */
  List<String> pods(String cluster) {
    String out =
        kubectl(
            "get",
            "pods",
            "-l",
            "rspark.io/cluster=" + cluster,
            "-o",
            "jsonpath={range .items[*]}{.metadata.name} {.metadata.deletionTimestamp}{\"\\n\"}{end}");
    return out.lines()
        .map(String::trim)
        .filter(line -> !line.isEmpty() && !line.contains(" "))
        .sorted()
        .toList();
  }

  String pod(String pod, String jsonpath) {
    return kubectl("get", "pod", pod, "-o", "jsonpath=" + jsonpath).trim();
  }

  /** A command in a pod's (first) container, as {@code kubectl exec} runs it. */
  String exec(String pod, String... command) {
    String[] args = new String[command.length + 3];
    args[0] = "exec";
    args[1] = pod;
    args[2] = "--";
    System.arraycopy(command, 0, args, 3, command.length);
    return run(Duration.ofMinutes(5), args);
  }

  /** Deletes these RSparkClusters, if they exist, and waits until they are gone. */
  void deleteClusters(String... clusters) {
    String[] args = new String[clusters.length + 3];
    args[0] = "delete";
    args[1] = "rsc";
    System.arraycopy(clusters, 0, args, 2, clusters.length);
    args[args.length - 1] = "--ignore-not-found";
    run(E2eEnvironment.timeout(), args);
  }

  void delete() {
    Kubectl.tryExec(
        List.of("kubectl", "delete", "namespace", name, "--wait=false"),
        null,
        Duration.ofMinutes(1));
  }
}
