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
import io.rspark.operator.pods.PodState;
import io.rspark.operator.reconcile.SparkAddresses;
import io.rspark.operator.resources.Labels;
import io.rspark.operator.spark.SparkClient;
import io.rspark.operator.status.Conditions;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The operator running in-process against the real API server, watching one test namespace, with
 * every HTTP request it sends recorded. Tests play the kubelet with {@link #markReady(Pod)}.
 */
public final class OperatorHarness implements AutoCloseable {
  private final KubeApiKit kit = KubeApiKit.get();
  private final List<RequestCounter.Request> requests = new CopyOnWriteArrayList<>();
  private volatile Consumer<RequestCounter.Request> beforeRequest = r -> {};
  private KubernetesClient operatorClient;
  private final KubernetesClient client;
  private final String namespace;
  private final AtomicInteger reconciliations = new AtomicInteger();
  private final List<Long> reconcileNanos = new CopyOnWriteArrayList<>();
  private Operator operator;
  private Clock clock = Clock.systemUTC();
  private SparkClient sparkClient;
  private SparkAddresses sparkAddresses;
  private final Map<String, String> options = new HashMap<>();

  public OperatorHarness(String namespacePrefix) {
    this.client = kit.newClient();
    this.namespace = kit.newNamespace(client, namespacePrefix);
    this.operatorClient = newOperatorClient();
  }

  private KubernetesClient newOperatorClient() {
    return kit.newClient(
        r -> {
          requests.add(r);
          beforeRequest.accept(r);
        });
  }

  /**
   * Runs {@code hook} on the operator's thread before each request it sends (after recording it),
   * so a test can act at an exact point of a reconcile, e.g. create an object the operator is about
   * to create.
   */
  public void beforeEachRequest(Consumer<RequestCounter.Request> hook) {
    beforeRequest = hook;
  }

  /** Runs the operator on {@code clock} (call before {@link #start()}). */
  public OperatorHarness withClock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /**
   * Reads Spark through {@code client}: a driver pod's master UI and bridge, and a worker pod's UI,
   * at the address each function gives for the pod (call before {@link #start()}). Polls Spark
   * every 0.3 s, so that a test sees a new answer at once, and lets a reading count for 20 s, so
   * that a busy machine's slow poll does not make it stale; {@link #withOption} overrides both.
   */
  public OperatorHarness withSpark(
      SparkClient client,
      Function<Pod, URI> masterUi,
      Function<Pod, URI> bridge,
      Function<Pod, URI> workerUi) {
    this.sparkClient = client;
    this.sparkAddresses =
        new SparkAddresses() {
          @Override
          public Optional<URI> masterUi(Pod driver) {
            return Optional.of(masterUi.apply(driver));
          }

          @Override
          public Optional<URI> bridge(Pod driver) {
            return Optional.of(bridge.apply(driver));
          }

          @Override
          public Optional<URI> workerUi(Pod worker) {
            return Optional.of(workerUi.apply(worker));
          }
        };
    options.putIfAbsent(OperatorConfig.SPARK_POLL_INTERVAL.name(), "PT0.3S");
    options.putIfAbsent(OperatorConfig.SPARK_DATA_MAX_AGE.name(), "PT20S");
    return this;
  }

  /** Sets one operator option (call before {@link #start()}). */
  public OperatorHarness withOption(String name, String value) {
    options.put(name, value);
    return this;
  }

  public OperatorHarness start() {
    Map<String, String> config = new HashMap<>(options);
    config.put(OperatorConfig.WATCH_NAMESPACES.name(), namespace);
    config.put(OperatorConfig.LEADER_ELECTION.name(), "false");
    config.putIfAbsent(OperatorConfig.POD_BACKOFF_MAX.name(), "PT2S");
    Metrics metrics =
        new Metrics() {
          @Override
          public void reconciliationExecutionFinished(
              HasMetadata resource, Map<String, Object> metadata) {
            reconciliations.incrementAndGet();
          }

          @Override
          public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
            long start = System.nanoTime();
            try {
              return execution.execute();
            } finally {
              reconcileNanos.add(System.nanoTime() - start);
            }
          }
        };
    OperatorConfig operatorConfig = OperatorConfig.withOverrides(config);
    operator =
        sparkClient == null
            ? OperatorAssembly.build(operatorConfig, operatorClient, metrics, clock)
            : OperatorAssembly.build(
                operatorConfig, operatorClient, metrics, clock, sparkClient, sparkAddresses);
    operator.start();
    return this;
  }

  public void stop() {
    if (operator != null) {
      operator.stop();
      operator = null;
    }
  }

  /**
   * Stops the operator abruptly, as a crash would: its client is closed under it first, so the
   * requests of a reconcile in flight fail and nothing is flushed, then what is left of it is
   * stopped. {@link #start()} afterwards runs a new operator on a new client.
   */
  public void kill() {
    operatorClient.close();
    stop();
    operatorClient = newOperatorClient();
  }

  /** Reconciliations the operator has finished so far. */
  public int reconciliations() {
    return reconciliations.get();
  }

  /** How long each reconciliation (or cleanup) the operator ran took, in nanoseconds. */
  public List<Long> reconcileNanos() {
    return List.copyOf(reconcileNanos);
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

  /**
   * Plays the kubelet for all the cluster's pods that are not ready yet, giving each the IP {@code
   * ipOfPod} names for its pod name (where Spark, as the test plays it, has registered it).
   */
  public void markAllReady(String cluster, Function<String, String> ipOfPod) {
    pods(cluster).stream()
        .filter(p -> !PodState.isReady(p))
        .forEach(p -> markReady(p, ipOfPod.apply(p.getMetadata().getName())));
  }

  /**
   * The driver at 10.9.0.1, worker N at 10.9.1.N: IPs for {@link #markAllReady(String, Function)}.
   */
  public static String ordinalIp(String podName) {
    return podName.endsWith("-driver")
        ? "10.9.0.1"
        : "10.9.1." + podName.substring(podName.lastIndexOf('-') + 1);
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

  /** Plays the kubelet: the pod runs, is ready and has {@code ip}. */
  public void markReady(Pod pod, String ip) {
    Pod copy = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).get();
    if (copy == null) {
      return;
    }
    copy.setStatus(
        new PodStatusBuilder()
            .withPhase("Running")
            .withPodIP(ip)
            .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build())
            .build());
    client.pods().inNamespace(namespace).resource(copy).updateStatus();
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
