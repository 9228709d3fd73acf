package io.rspark.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rspark.operator.testing.KubeApiKit;
import io.rspark.operator.testing.LogCapture;
import io.rspark.operator.testing.OperatorHarness;
import io.rspark.operator.testing.TestClusters;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API server goes away for some seconds under a running operator. A pod disappears meanwhile
 * (removed from etcd directly: no API client can delete while the apiserver is down) and the spec
 * changes once it is back: the informers recover, the pod is recreated and the change reconciled.
 */
class FaultApiOutageIT {
  private static final Duration OUTAGE = Duration.ofSeconds(8);

  private static LogCapture logs;
  private static OperatorHarness harness;

  @BeforeAll
  static void start() {
    logs = LogCapture.attach();
    harness = new OperatorHarness("fault-outage").start();
  }

  @AfterAll
  static void stop() {
    harness.close();
    logs.close();
  }

  @Test
  void operatorRecoversFromAnApiServerOutage() throws Exception {
    KubeApiKit kit = KubeApiKit.get();
    harness.create(TestClusters.cluster("dark", 2));
    Invariants.awaitConverged(harness, "dark");
    String oldWorker1 = uid("dark-worker-1");
    int reconcilesBefore = harness.reconciliations();

    kit.stopApiServer();
    try {
      assertThat(deleteFromEtcd(kit, "/registry/pods/" + harness.namespace() + "/dark-worker-1"))
          .as("keys deleted from etcd")
          .isEqualTo(1);
      Thread.sleep(OUTAGE.toMillis());
    } finally {
      kit.startAgain();
    }

    // The relist after the outage shows the pod gone; the operator recreates it.
    await()
        .atMost(Invariants.CONVERGE)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> uid("dark-worker-1") != null && !uid("dark-worker-1").equals(oldWorker1));
    // The reconcile that created the pod is counted when it returns, a moment after the create.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(harness.reconciliations()).isGreaterThan(reconcilesBefore));

    harness.edit(
        "dark",
        c -> {
          c.getSpec().workers.replicas = 3;
          c.getSpec().sparkConf.put("spark.sql.shuffle.partitions", "7");
        });
    Invariants.awaitConverged(harness, "dark");
    assertThat(
            harness
                .client()
                .configMaps()
                .inNamespace(harness.namespace())
                .withName("dark-spark-config")
                .get()
                .getData()
                .values())
        .anyMatch(v -> v.contains("spark.sql.shuffle.partitions") && v.contains("7"));
    Invariants.assertHealthyEnd(harness, logs, "dark");
  }

  @Test
  void clusterCreatedRightAfterAnOutageIsReconciled() throws Exception {
    KubeApiKit kit = KubeApiKit.get();
    kit.stopApiServer();
    try {
      Thread.sleep(OUTAGE.toMillis());
    } finally {
      kit.startAgain();
    }
    harness.create(TestClusters.cluster("after", 1));
    Invariants.awaitConverged(harness, "after");
    Invariants.assertHealthyEnd(harness, logs, "after");
  }

  private String uid(String pod) {
    var p = harness.client().pods().inNamespace(harness.namespace()).withName(pod).get();
    return p == null ? null : p.getMetadata().getUid();
  }

  /** Deletes {@code key} through etcd's v3 JSON gateway; returns how many keys went. */
  private static int deleteFromEtcd(KubeApiKit kit, String key) throws Exception {
    String body =
        "{\"key\":\""
            + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8))
            + "\"}";
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(kit.etcdUrl() + "/v3/kv/deleterange"))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    var deleted =
        java.util.regex.Pattern.compile("\"deleted\":\"(\\d+)\"").matcher(response.body());
    return deleted.find() ? Integer.parseInt(deleted.group(1)) : 0;
  }
}
