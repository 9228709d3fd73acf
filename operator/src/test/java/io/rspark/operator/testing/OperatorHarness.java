package io.rspark.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.rspark.operator.OperatorAssembly;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.config.OperatorConfig;
import io.rspark.operator.lifecycle.Conditions;
import io.rspark.operator.lifecycle.PodState;
import io.rspark.operator.resources.Labels;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The operator running in-process against the real API server, watching one test namespace, with
 * every HTTP request it sends recorded. Tests play the kubelet with {@link #markReady(Pod)}.
 */
public final class OperatorHarness implements AutoCloseable {
  private final KubeApiKit kit = KubeApiKit.get();
  private final List<RequestCounter.Request> requests = new CopyOnWriteArrayList<>();
  private final KubernetesClient operatorClient;
  private final KubernetesClient client;
  private final String namespace;
  private final AtomicInteger reconciliations = new AtomicInteger();
  private Operator operator;

  public OperatorHarness(String namespacePrefix) {
    this.client = kit.newClient();
    this.namespace = kit.newNamespace(client, namespacePrefix);
    this.operatorClient = kit.newClient(requests::add);
  }

  public OperatorHarness start() {
    operator =
        OperatorAssembly.build(
            OperatorConfig.withOverrides(
                Map.of(
                    OperatorConfig.WATCH_NAMESPACES.name(), namespace,
                    OperatorConfig.LEADER_ELECTION.name(), "false",
                    OperatorConfig.POD_BACKOFF_MAX.name(), "PT2S")),
            operatorClient,
            new Metrics() {
              @Override
              public void reconciliationExecutionFinished(
                  HasMetadata resource, Map<String, Object> metadata) {
                reconciliations.incrementAndGet();
              }
            },
            Clock.systemUTC());
    operator.start();
    return this;
  }

  public void stop() {
    if (operator != null) {
      operator.stop();
      operator = null;
    }
  }

  /** Reconciliations the operator has finished so far. */
  public int reconciliations() {
    return reconciliations.get();
  }

  /** A client for the test itself (its requests are not counted). */
  public KubernetesClient client() {
    return client;
  }

  public String namespace() {
    return namespace;
  }

  /** The requests the operator has sent so far. */
  public List<RequestCounter.Request> requests() {
    return List.copyOf(requests);
  }

  /** Creates {@code cluster} in the test namespace. */
  public RSparkCluster create(RSparkCluster cluster) {
    cluster.getMetadata().setNamespace(namespace);
    return client.resource(cluster).create();
  }

  /** Edits the cluster's spec (a new generation). */
  public RSparkCluster edit(String name, Consumer<RSparkCluster> change) {
    return client
        .resources(RSparkCluster.class)
        .inNamespace(namespace)
        .withName(name)
        .edit(
            c -> {
              change.accept(c);
              return c;
            });
  }

  /** The condition of {@code type} of the cluster's current status, or null. */
  public Condition condition(String name, String type) {
    RSparkCluster c = get(name);
    if (c == null || c.getStatus() == null) {
      return null;
    }
    return c.getStatus().conditions.stream()
        .filter(x -> type.equals(x.getType()))
        .findFirst()
        .orElse(null);
  }

  /** Whether the cluster's condition {@code type} has status True. */
  public boolean isTrue(String name, String type) {
    var c = condition(name, type);
    return c != null && "True".equals(c.getStatus());
  }

  /**
   * Plays the kubelet until the cluster is Ready with exactly its driver and {@code workers} ready
   * workers.
   */
  public void awaitReadyWithWorkers(String name, int workers) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              markAllReady(name);
              assertThat(pods(name)).hasSize(workers + 1);
              assertThat(isTrue(name, Conditions.READY)).isTrue();
              assertThat(get(name).getStatus().workers.ready).isEqualTo(workers);
            });
  }

  /** Plays the kubelet for all the cluster's pods that are not ready yet. */
  public void markAllReady(String cluster) {
    pods(cluster).stream().filter(p -> !PodState.isReady(p)).forEach(this::markReady);
  }

  /** Events recorded about the cluster, oldest first. */
  public List<Event> events(String cluster) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> cluster.equals(e.getInvolvedObject().getName()))
        .sorted(Comparator.comparing(e -> e.getMetadata().getCreationTimestamp()))
        .toList();
  }

  public RSparkCluster get(String name) {
    return client.resources(RSparkCluster.class).inNamespace(namespace).withName(name).get();
  }

  public List<Pod> pods(String cluster) {
    return client
        .pods()
        .inNamespace(namespace)
        .withLabel(Labels.CLUSTER, cluster)
        .list()
        .getItems();
  }

  /** Plays the kubelet: the pod runs and is ready. */
  public void markReady(Pod pod) {
    setStatus(pod, "Running", "True");
  }

  public void markFailed(Pod pod) {
    setStatus(pod, "Failed", "False");
  }

  private void setStatus(Pod pod, String phase, String ready) {
    PodCondition condition = new PodConditionBuilder().withType("Ready").withStatus(ready).build();
    Pod copy = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).get();
    if (copy == null) {
      return;
    }
    copy.setStatus(new PodStatusBuilder().withPhase(phase).withConditions(condition).build());
    client.pods().inNamespace(namespace).resource(copy).updateStatus();
  }

  @Override
  public void close() {
    stop();
    client.namespaces().withName(namespace).delete();
    operatorClient.close();
    client.close();
  }
}
