package io.rspark.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.pods.PodState;
import io.rspark.operator.resources.Labels;
import io.rspark.operator.resources.ResourceNames;
import io.rspark.operator.spark.PodContract;
import io.rspark.operator.status.Conditions;
import io.rspark.operator.testing.LogCapture;
import io.rspark.operator.testing.OperatorHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What must hold after every fault: the cluster converged to its spec with exactly the pods it
 * names (no duplicate, no leftover), every object of a cluster controlled by an RSparkCluster that
 * exists, the auth secret nowhere but in its Secret, and nothing left once the cluster is deleted.
 */
final class Invariants {
  static final Duration CONVERGE = Duration.ofSeconds(60);

  private Invariants() {}

  /** The pod names a cluster of {@code workers} workers must have, and no other. */
  static Set<String> desiredPods(String cluster, int workers) {
    Set<String> names = new TreeSet<>();
    names.add(cluster + "-driver");
    for (int i = 0; i < workers; i++) {
      names.add(cluster + "-worker-" + i);
    }
    return names;
  }

  /**
   * Plays the kubelet until the cluster is Ready for its current generation with exactly the
   * desired pods, none of them on its way out, all rendered for the current spec's image.
   */
  static void awaitConverged(OperatorHarness h, String cluster) {
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              h.markAllReady(cluster);
              RSparkCluster c = h.get(cluster);
              int workers = c.getSpec().workers.replicas;
              List<Pod> pods = h.pods(cluster);
              assertThat(pods)
                  .extracting(p -> p.getMetadata().getName())
                  .as("pods of %s", cluster)
                  .containsExactlyInAnyOrderElementsOf(desiredPods(cluster, workers));
              assertThat(pods).noneMatch(PodState::isTerminating).allMatch(PodState::isReady);
              assertThat(pods)
                  .allSatisfy(
                      p ->
                          assertThat(p.getSpec().getContainers().get(0).getImage())
                              .isEqualTo(c.getSpec().image));
              assertThat(c.getStatus()).isNotNull();
              assertThat(c.getStatus().observedGeneration)
                  .isEqualTo(c.getMetadata().getGeneration());
              assertThat(Conditions.isTrue(c.getStatus().conditions, Conditions.READY)).isTrue();
              assertThat(Conditions.isTrue(c.getStatus().conditions, Conditions.STALLED)).isFalse();
              assertThat(c.getStatus().workers.ready).isEqualTo(workers);
            });
  }

  /** Every object of the namespace labelled as a cluster's, of every kind the operator makes. */
  static List<HasMetadata> labelledObjects(KubernetesClient c, String ns) {
    List<HasMetadata> all = new ArrayList<>();
    all.addAll(c.pods().inNamespace(ns).withLabel(Labels.CLUSTER).list().getItems());
    all.addAll(c.secrets().inNamespace(ns).withLabel(Labels.CLUSTER).list().getItems());
    all.addAll(c.configMaps().inNamespace(ns).withLabel(Labels.CLUSTER).list().getItems());
    all.addAll(c.services().inNamespace(ns).withLabel(Labels.CLUSTER).list().getItems());
    all.addAll(
        c.network()
            .v1()
            .networkPolicies()
            .inNamespace(ns)
            .withLabel(Labels.CLUSTER)
            .list()
            .getItems());
    return all;
  }

  /**
   * No orphan: every labelled object has exactly one owner reference, a controller reference to the
   * RSparkCluster its label names, which exists with that uid.
   */
  static void assertNoOrphans(OperatorHarness h) {
    Map<String, String> clusterUids =
        h
            .client()
            .resources(RSparkCluster.class)
            .inNamespace(h.namespace())
            .list()
            .getItems()
            .stream()
            .collect(
                Collectors.toMap(c -> c.getMetadata().getName(), c -> c.getMetadata().getUid()));
    assertThat(labelledObjects(h.client(), h.namespace()))
        .allSatisfy(
            o -> {
              String cluster = o.getMetadata().getLabels().get(Labels.CLUSTER);
              OwnerReference ref =
                  o.getMetadata().getOwnerReferences().stream().findFirst().orElse(null);
              assertThat(o.getMetadata().getOwnerReferences())
                  .as("owner references of %s %s", o.getKind(), o.getMetadata().getName())
                  .hasSize(1);
              assertThat(ref.getController()).isTrue();
              assertThat(ref.getKind()).isEqualTo("RSparkCluster");
              assertThat(ref.getName()).isEqualTo(cluster);
              assertThat(clusterUids)
                  .as(
                      "%s %s is owned by a cluster that exists",
                      o.getKind(), o.getMetadata().getName())
                  .containsEntry(cluster, ref.getUid());
            });
  }

  /** The value of the cluster's Spark authentication secret, read from its Secret. */
  static String authSecret(OperatorHarness h, String cluster) {
    Secret secret =
        h.client()
            .secrets()
            .inNamespace(h.namespace())
            .withName(ResourceNames.authSecret(h.get(cluster)))
            .get();
    assertThat(secret).as("auth Secret of %s", cluster).isNotNull();
    String value =
        new String(
            Base64.getDecoder().decode(secret.getData().get(PodContract.AUTH_SECRET_KEY)),
            StandardCharsets.UTF_8);
    assertThat(value).matches("[0-9a-f]{64}");
    return value;
  }

  /**
   * The auth secret of each cluster appears in no cluster status, no Event, no pod, no ConfigMap of
   * the namespace and no line the process logged.
   */
  static void assertSecretsNotLeaked(OperatorHarness h, LogCapture logs, String... clusters) {
    String ns = h.namespace();
    KubernetesClient c = h.client();
    String everywhere =
        Serialization.asJson(c.resources(RSparkCluster.class).inNamespace(ns).list())
            + Serialization.asJson(c.v1().events().inNamespace(ns).list())
            + Serialization.asJson(c.pods().inNamespace(ns).list())
            + Serialization.asJson(c.configMaps().inNamespace(ns).list());
    List<String> lines = logs.lines();
    assertThat(lines).as("captured log lines").isNotEmpty();
    for (String cluster : clusters) {
      String value = authSecret(h, cluster);
      assertThat(everywhere).as("status, Events, pods, ConfigMaps").doesNotContain(value);
      assertThat(lines).as("log lines").noneMatch(l -> l.contains(value));
    }
  }

  /** Deletes the cluster and waits until garbage collection has left none of its objects. */
  static void deleteAndAssertCollected(OperatorHarness h, String cluster) {
    Set<String> before =
        labelledObjects(h.client(), h.namespace()).stream()
            .filter(o -> cluster.equals(o.getMetadata().getLabels().get(Labels.CLUSTER)))
            .map(o -> o.getKind() + "/" + o.getMetadata().getName())
            .collect(Collectors.toCollection(HashSet::new));
    assertThat(before).as("objects of %s before deletion", cluster).isNotEmpty();
    h.client().resource(h.get(cluster)).delete();
    await()
        .atMost(CONVERGE)
        .untilAsserted(
            () -> {
              assertThat(h.get(cluster)).isNull();
              assertThat(labelledObjects(h.client(), h.namespace()))
                  .as("left behind by %s", cluster)
                  .noneMatch(o -> cluster.equals(o.getMetadata().getLabels().get(Labels.CLUSTER)));
            });
  }

  /** All invariants of a finished scenario, then deletion and garbage collection. */
  static void assertHealthyEnd(OperatorHarness h, LogCapture logs, String cluster) {
    awaitConverged(h, cluster);
    assertNoOrphans(h);
    assertSecretsNotLeaked(h, logs, cluster);
    deleteAndAssertCollected(h, cluster);
    assertNoOrphans(h);
  }
}
