package io.rspark.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.rspark.operator.testing.KubeApiKit;
import io.rspark.operator.testing.OperatorProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as a real child process, the way {@code scripts/run-operator.sh} and a container
 * run it: against the Kubernetes API kit, with leader election, probes, metrics and SIGTERM.
 */
class OperatorProcessIT {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final String LEASE = "rspark-operator-leader";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<OperatorProcess> children = new ArrayList<>();

  @AfterEach
  void destroyChildren() throws InterruptedException {
    for (OperatorProcess child : children) {
      child.close();
    }
  }

  @Test
  void servesProbesAndMetricsHoldsTheLeaseAndStopsOnSigterm() throws Exception {
    KubeApiKit kit = KubeApiKit.get();
    try (KubernetesClient client = kit.newClient()) {
      String namespace = kit.newNamespace(client, "op-process");
      OperatorProcess a = start("operator-a", namespace, kit);

      awaitStatus(a.health("/healthz"), 200);
      awaitStatus(a.health("/readyz"), 200);
      await()
          .atMost(START_TIMEOUT)
          .until(() -> leaseHolder(client, namespace), "operator-a"::equals);

      client.resource(cluster(namespace)).create();
      await()
          .atMost(START_TIMEOUT)
          .untilAsserted(
              () ->
                  assertThat(get(a.metrics("/metrics")).body())
                      .contains("jvm_memory_used_bytes", "process_uptime_seconds")
                      .contains(
                          "rspark_operator_managed_resources{controller=\"rsparkcluster\","
                              + "kind=\"RSparkCluster\"} 1.0",
                          "rspark_operator_events_total{action=\"added\","
                              + "controller=\"rsparkcluster\"} 1.0")
                      .containsPattern(
                          "rspark_operator_reconciliations_started_total\\{controller=\"rsparkcluster\","
                              + "operation=\"reconcile\"} [1-9]"));

      // A second replica is a warm standby: live and ready (JOSDK's view), but not leading.
      OperatorProcess b = start("operator-b", namespace, kit);
      awaitStatus(b.health("/readyz"), 200);
      assertThat(get(b.health("/healthz")).statusCode()).isEqualTo(200);
      assertThat(leaseHolder(client, namespace)).isEqualTo("operator-a");

      assertStopsOnSigterm(a);
      // The leader released its Lease, so the standby takes over without waiting for it to expire.
      await()
          .atMost(STOP_TIMEOUT)
          .until(() -> leaseHolder(client, namespace), "operator-b"::equals);
      assertStopsOnSigterm(b);
      assertThat(leaseHolder(client, namespace)).isNull();
      assertThat(a.output()).contains("Operator started", "Released the leader Lease");
    }
  }

  @Test
  void apiOutageMakesItUnreadyButLiveAndTheLeaderExitsWhenItCannotRenew() throws Exception {
    KubeApiKit kit = KubeApiKit.get();
    OperatorProcess operator;
    try (KubernetesClient client = kit.newClient()) {
      String namespace = kit.newNamespace(client, "op-outage");
      operator = start("operator-outage", namespace, kit);
      awaitStatus(operator.health("/readyz"), 200);
      await()
          .atMost(START_TIMEOUT)
          .until(() -> leaseHolder(client, namespace), "operator-outage"::equals);
    }
    try {
      kit.stopApiServer();
      await()
          .atMost(STOP_TIMEOUT)
          .untilAsserted(
              () -> {
                HttpResponse<String> ready = get(operator.health("/readyz"));
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body())
                    .startsWith("unhealthy event sources: rsparkcluster/")
                    .contains("=UNHEALTHY");
              });
      assertThat(get(operator.health("/healthz")).statusCode()).isEqualTo(200);

      // JOSDK's renew deadline is 10 s; past it another replica may lead, so this one must go.
      assertThat(operator.process().waitFor(30, TimeUnit.SECONDS))
          .as("exited after losing the Lease; output:\n%s", operator.output())
          .isTrue();
      assertThat(operator.process().exitValue()).isEqualTo(1);
      assertThat(operator.output()).contains("Lost the leader Lease", "Operator stopped");
    } finally {
      kit.startAgain();
    }
  }

  @Test
  void unreachableApiServerEndsTheProcessWithOneClearLine(@TempDir Path dir) throws Exception {
    int closedPort = OperatorProcess.freePort();
    Path kubeconfig = dir.resolve("unreachable.kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: gone
          cluster:
            server: https://127.0.0.1:%d
            insecure-skip-tls-verify: true
        users:
        - name: nobody
          user:
            token: not-a-token
        contexts:
        - name: gone
          context: {cluster: gone, user: nobody}
        current-context: gone
        """
            .formatted(closedPort));

    long started = System.nanoTime();
    OperatorProcess operator =
        start(
            "unreachable",
            Map.of("KUBECONFIG", kubeconfig.toString(), "RSPARK_INSTALL_CRDS", "true"));

    assertThat(operator.process().waitFor(15, TimeUnit.SECONDS))
        .as("exited within 15 s; output:\n%s", operator.output())
        .isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    assertThat(operator.process().exitValue()).isEqualTo(1);
    assertThat(operator.stderr())
        .isEqualTo(
            "rspark-operator: Cannot reach the Kubernetes API server at https://127.0.0.1:"
                + closedPort
                + "/ (could not connect); check the current kube context, or point KUBECONFIG at"
                + " a reachable cluster\n");
  }

  @Test
  void invalidOptionValueExitsWithStatus2NamingTheOption() throws Exception {
    OperatorProcess operator = start("invalid-option", Map.of("RSPARK_RECONCILE_THREADS", "zero"));

    assertThat(operator.process().waitFor(15, TimeUnit.SECONDS)).isTrue();
    assertThat(operator.process().exitValue()).isEqualTo(2);
    assertThat(operator.stderr())
        .startsWith(
            "rspark-operator: Invalid value 'zero' for rspark.reconcile-threads (from environment"
                + " variable RSPARK_RECONCILE_THREADS): not a whole number.")
        .doesNotContain("\tat ")
        .hasLineCount(1);
    assertThat(operator.stdout()).isEmpty();
  }

  /** A leader-electing operator watching only {@code namespace}, with its Lease there too. */
  private OperatorProcess start(String hostname, String namespace, KubeApiKit kit)
      throws IOException {
    return start(
        hostname,
        Map.of(
            "KUBECONFIG",
            kit.kubeconfig().toString(),
            "HOSTNAME",
            hostname,
            "RSPARK_INSTALL_CRDS",
            "true",
            "RSPARK_WATCH_NAMESPACES",
            namespace,
            "RSPARK_LEADER_ELECTION_ENABLED",
            "true",
            "RSPARK_LEADER_ELECTION_NAMESPACE",
            namespace,
            "RSPARK_HEALTH_PORT",
            String.valueOf(OperatorProcess.freePort()),
            "RSPARK_METRICS_PORT",
            String.valueOf(OperatorProcess.freePort())));
  }

  private OperatorProcess start(String name, Map<String, String> env) throws IOException {
    OperatorProcess process =
        OperatorProcess.start("operator-process-it", name, List.of("-Xmx256m"), env);
    children.add(process);
    return process;
  }

  private void assertStopsOnSigterm(OperatorProcess operator) throws InterruptedException {
    operator.process().destroy();
    assertThat(operator.process().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
        .as("stopped within %s of SIGTERM", STOP_TIMEOUT)
        .isTrue();
    assertThat(operator.process().exitValue()).isIn(0, 143);
  }

  private void awaitStatus(URI uri, int status) {
    await()
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> get(uri).statusCode() == status);
  }

  private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String leaseHolder(KubernetesClient client, String namespace) {
    Lease lease = client.leases().inNamespace(namespace).withName(LEASE).get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static GenericKubernetesResource cluster(String namespace) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("rspark.io/v1alpha1")
        .withKind("RSparkCluster")
        .withNewMetadata()
        .withName("probe")
        .withNamespace(namespace)
        .endMetadata()
        .addToAdditionalProperties("spec", Map.of())
        .build();
  }
}
