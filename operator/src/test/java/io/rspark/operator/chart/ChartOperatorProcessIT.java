package io.rspark.operator.chart;

import static io.rspark.operator.testing.HelmChart.ofKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.resources.Labels;
import io.rspark.operator.testing.HelmChart;
import io.rspark.operator.testing.KubeApiKit;
import io.rspark.operator.testing.OperatorProcess;
import io.rspark.operator.testing.TestClusters;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar run the way the chart's Deployment runs it: its environment from the rendered
 * container, a kubeconfig holding only the chart's ServiceAccount token, its RBAC applied. Two
 * replicas: the first reports healthy and leads, the second stays a ready standby until the first
 * gets SIGTERM, then takes over and reconciles.
 */
class ChartOperatorProcessIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

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
  void replicasRunUnderTheChartLeadOneAtATimeAndHandOverOnSigterm(@TempDir Path dir)
      throws Exception {
    KubeApiKit kit = KubeApiKit.get();
    try (KubernetesClient admin = kit.newClient()) {
      String release = kit.newNamespace(admin, "chart-proc");
      String watched = kit.newNamespace(admin, "chart-proc-watched");
      List<HasMetadata> objects =
          HelmChart.render(release, Map.of("watchNamespaces", List.of(watched), "replicaCount", 2));
      objects.stream()
          .filter(o -> o instanceof ServiceAccount || o instanceof Role || o instanceof RoleBinding)
          .forEach(o -> admin.resource(o).create());
      String account =
          ofKind(objects, ServiceAccount.class).findFirst().orElseThrow().getMetadata().getName();
      Path kubeconfig = writeKubeconfig(dir, kit.serviceAccountConfig(admin, release, account));
      Map<String, String> env = new HashMap<>(ChartTest.env(ChartTest.deployment(objects)));
      env.put("POD_NAMESPACE", release);
      env.put("KUBECONFIG", kubeconfig.toString());

      OperatorProcess a = start("rspark-operator-a", env);
      awaitStatus(a.health("/healthz"), 200);
      awaitStatus(a.health("/readyz"), 200);
      await().atMost(TIMEOUT).until(() -> leaseHolder(admin, release), "rspark-operator-a"::equals);

      RSparkCluster cluster = TestClusters.cluster("handover", 1);
      cluster.getMetadata().setNamespace(watched);
      admin.resource(cluster).create();
      await().atMost(TIMEOUT).until(() -> pods(admin, watched).size() == 2);

      OperatorProcess b = start("rspark-operator-b", env);
      awaitStatus(b.health("/readyz"), 200);
      assertThat(leaseHolder(admin, release)).isEqualTo("rspark-operator-a");

      a.process().destroy();
      assertThat(a.process().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(a.process().exitValue()).isIn(0, 143);
      await()
          .atMost(STOP_TIMEOUT)
          .until(() -> leaseHolder(admin, release), "rspark-operator-b"::equals);

      // The new leader reconciles: a deleted worker comes back.
      admin.pods().inNamespace(watched).withName("handover-worker-0").delete();
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  pods(admin, watched).stream()
                      .anyMatch(
                          p ->
                              p.getMetadata().getName().equals("handover-worker-0")
                                  && p.getMetadata().getDeletionTimestamp() == null));

      b.process().destroy();
      assertThat(b.process().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(leaseHolder(admin, release)).isNull();
      for (OperatorProcess replica : List.of(a, b)) {
        assertThat(replica.output())
            .contains("Operator started", "Released the leader Lease")
            .doesNotContain("Forbidden", "forbidden");
      }
    }
  }

  private OperatorProcess start(String hostname, Map<String, String> chartEnv) throws IOException {
    Map<String, String> env = new HashMap<>(chartEnv);
    env.put("HOSTNAME", hostname);
    env.put("RSPARK_HEALTH_PORT", String.valueOf(OperatorProcess.freePort()));
    env.put("RSPARK_METRICS_PORT", String.valueOf(OperatorProcess.freePort()));
    OperatorProcess process =
        OperatorProcess.start("chart-operator-process-it", hostname, List.of("-Xmx256m"), env);
    children.add(process);
    return process;
  }

  private static Path writeKubeconfig(Path dir, Config config) throws IOException {
    String ca =
        config.getCaCertData() != null
            ? config.getCaCertData()
            : Base64.getEncoder()
                .encodeToString(Files.readAllBytes(Path.of(config.getCaCertFile())));
    Path file = dir.resolve("operator.kubeconfig");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: kit
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: rspark-operator
          user:
            token: %s
        contexts:
        - name: operator
          context: {cluster: kit, user: rspark-operator}
        current-context: operator
        """
            .formatted(config.getMasterUrl(), ca, config.getOauthToken()));
    return file;
  }

  private void awaitStatus(URI uri, int status) {
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () ->
                http.send(
                            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.ofString())
                        .statusCode()
                    == status);
  }

  private static List<Pod> pods(KubernetesClient admin, String namespace) {
    return admin
        .pods()
        .inNamespace(namespace)
        .withLabel(Labels.CLUSTER, "handover")
        .list()
        .getItems();
  }

  private static String leaseHolder(KubernetesClient admin, String namespace) {
    Lease lease = admin.leases().inNamespace(namespace).withName("rspark-operator-leader").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }
}
