package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Event;
import io.rspark.operator.api.AutoTerminationSpec;
import io.rspark.operator.api.AutoscalingSpec;
import io.rspark.operator.api.ClusterPhase;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.config.OperatorConfig;
import io.rspark.operator.scaling.Autoscaler;
import io.rspark.operator.spark.HttpSparkClient;
import io.rspark.operator.status.Conditions;
import io.rspark.operator.testing.MutableClock;
import io.rspark.operator.testing.OperatorHarness;
import io.rspark.operator.testing.TestClusters;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator with its real HTTP Spark client against a real HTTP server that plays the master
 * with JSON recorded from a real standalone master (src/test/resources/spark-master) and the
 * bridge's {@code /activity}: scale-up on a WAITING application, then the idle worker
 * decommissioned by a real POST and deleted once the master lists it DECOMMISSIONED.
 */
class LifecycleRecordedMasterIT {
  private static final MutableClock clock = new MutableClock();
  private static final List<String> decommissions = new CopyOnWriteArrayList<>();
  private static volatile String masterJson;
  private static volatile String activityJson;
  private static volatile String workerJson;
  private static HttpServer server;
  private static HttpServer workerServer;
  private static OperatorHarness harness;

  /** The recorded workers: A at 127.0.0.2, B at 127.0.0.3; the pods get these IPs. */
  private static final Map<String, String> POD_IPS =
      Map.of("rec-worker-0", "127.0.0.3", "rec-worker-1", "127.0.0.2", "rec-driver", "127.0.0.1");

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/json/", x -> answer(x, masterJson));
    server.createContext("/activity", x -> answer(x, activityJson));
    server.createContext(
        "/workers/kill/",
        x -> {
          decommissions.add(x.getRequestMethod() + " " + x.getRequestURI().getQuery());
          answer(x, "");
        });
    server.start();
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    workerServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    workerServer.createContext("/json/", x -> answer(x, workerJson));
    workerServer.start();
    URI workerBase = URI.create("http://127.0.0.1:" + workerServer.getAddress().getPort());
    OperatorConfig config = OperatorConfig.withOverrides(Map.of());
    harness =
        new OperatorHarness("recorded")
            .withClock(clock)
            .withSpark(
                HttpSparkClient.from(config), driver -> base, driver -> base, worker -> workerBase)
            .start();
  }

  @AfterAll
  static void stop() {
    harness.close();
    server.stop(0);
    workerServer.stop(0);
  }

  private static void answer(HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  private static String recorded(String file) throws IOException {
    try (InputStream in =
        LifecycleRecordedMasterIT.class.getResourceAsStream("/spark-master/" + file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String activity(int pendingTasks, int activeJobs) {
    return activity(pendingTasks, activeJobs, 0);
  }

  private static String activity(int pendingTasks, int activeJobs, int attachedRSessions) {
    return "{\"attachedRSessions\": "
        + attachedRSessions
        + ", \"activeJobs\": "
        + activeJobs
        + ", \"pendingTasks\": "
        + pendingTasks
        + ", \"lastActivity\": \""
        + clock.instant()
        + "\"}";
  }

  private static void markAllReady() {
    harness.markAllReady("rec", name -> POD_IPS.getOrDefault(name, "10.9.9.9"));
  }

  private static Optional<Event> event(String reason) {
    return harness.events("rec").stream().filter(e -> reason.equals(e.getReason())).findFirst();
  }

  @Test
  void waitingApplicationGrowsTheClusterAndAnIdleWorkerLeavesThroughDecommission()
      throws IOException {
    masterJson = recorded("app-waiting.json");
    activityJson = activity(0, 1);
    RSparkCluster c = TestClusters.cluster("rec", 2);
    c.getSpec().workers.autoscaling = new AutoscalingSpec(2, 4, "1m");
    harness.create(c);

    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              markAllReady();
              assertThat(harness.get("rec").getStatus().autoscaling.desired).isEqualTo(3);
              assertThat(harness.pods("rec")).hasSize(4);
            });
    assertThat(event("AutoscaledUp"))
        .hasValueSatisfying(
            e -> assertThat(e.getMessage()).contains("1 application(s) wait for cores"));

    // The job is over and nothing waits: both recorded workers are idle.
    activityJson = activity(0, 0);
    masterJson = recorded("idle.json");
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              markAllReady();
              assertThat(harness.isTrue("rec", Conditions.READY)).isTrue();
              // A fresh reading of the idle workers, inside the delay after growing.
              assertThat(harness.get("rec").getStatus().autoscaling.reason)
                  .isEqualTo(Autoscaler.SCALE_DOWN_DELAY);
              assertThat(harness.get("rec").getStatus().autoscaling.message)
                  .startsWith("2 worker(s) without executors");
            });
    // Past scaleDownDelay since the growth and since the idle worker's clock started. The jump
    // makes the readings stale for a moment: no decision until a fresh one, idle clocks kept.
    clock.advance(Duration.ofMinutes(2));

    // Longest idle first, then by name: rec-worker-0, registered from 127.0.0.3 (worker B).
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(decommissions)
                    .as(
                        "decommissions; autoscaling %s",
                        harness.get("rec").getStatus().autoscaling.message)
                    .containsExactly("POST host=127.0.0.3"));
    // The reconcile that sent the request writes its status after it: seen 60-140 ms later here.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(harness.get("rec").getStatus().autoscaling.desired).isEqualTo(2));
    assertThat(harness.pods("rec"))
        .extracting(p -> p.getMetadata().getName())
        .contains("rec-worker-0");

    // The master marks the worker DECOMMISSIONED at once; its executor is still migrating blocks:
    // the worker's own UI lists it (the recorded executor, back among the running ones).
    masterJson = recorded("worker-decommissioned.json");
    workerJson = stillRunning(recorded("worker-ui-decommissioned.json"));
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(harness.pods("rec"))
                    .extracting(p -> p.getMetadata().getName())
                    .contains("rec-worker-0"));
    workerJson = recorded("worker-ui-decommissioned.json");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(harness.pods("rec"))
                    .extracting(p -> p.getMetadata().getName())
                    .containsExactlyInAnyOrder("rec-driver", "rec-worker-1", "rec-worker-2"));
    assertThat(event("Decommissioning"))
        .hasValueSatisfying(e -> assertThat(e.getMessage()).contains("rec-worker-0"));
    assertThat(event("ScaledDown"))
        .hasValueSatisfying(e -> assertThat(e.getMessage()).contains("rec-worker-0"));
    assertThat(decommissions).hasSize(1);
  }

  @Test
  void theBridgesReportKeepsAnAttachedSessionRunningAndStopsTheIdleCluster() throws IOException {
    // One R session attached since now: the cluster is in use however long nothing runs.
    activityJson = activity(0, 0, 1);
    RSparkCluster c = TestClusters.cluster("rec-nap", 0);
    c.getSpec().autoTermination = new AutoTerminationSpec(30);
    harness.create(c);
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              harness.markAllReady("rec-nap", name -> "127.0.0.1");
              assertThat(harness.get("rec-nap").getStatus().lastActivityTime).isNotNull();
            });

    clock.advance(Duration.ofMinutes(31));
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(harness.pods("rec-nap")).hasSize(1);
              assertThat(harness.get("rec-nap").getStatus().phase)
                  .isNotEqualTo(ClusterPhase.Suspended);
            });

    // The session detaches now (its attachment counted as activity until now); 31 quiet
    // minutes later the cluster stops.
    activityJson = activity(0, 0, 0);
    clock.advance(Duration.ofMinutes(31));
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(harness.pods("rec-nap")).isEmpty();
              assertThat(harness.get("rec-nap").getStatus().phase)
                  .isEqualTo(ClusterPhase.Suspended);
              assertThat(harness.condition("rec-nap", Conditions.SUSPENDED).getReason())
                  .isEqualTo("Idle");
            });
    assertThat(
            harness.events("rec-nap").stream()
                .map(Event::getReason)
                .filter("IdleSuspended"::equals))
        .hasSize(1);
  }

  /** The recorded worker UI with its finished executor listed as running again. */
  private static String stillRunning(String workerUiJson) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode worker = (ObjectNode) json.readTree(workerUiJson);
    worker.set("executors", worker.get("finishedexecutors"));
    return json.writeValueAsString(worker);
  }
}
