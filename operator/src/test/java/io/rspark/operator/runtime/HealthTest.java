package io.rspark.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.health.EventSourceHealthIndicator;
import io.javaoperatorsdk.operator.health.Status;
import io.rspark.operator.runtime.HttpEndpoints.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthTest {
  private final RuntimeInfo info = mock(RuntimeInfo.class);
  private final Health health = new Health(() -> info);

  @Test
  void whileStartingLiveButNotReadyAndJosdkIsNotAsked() {
    assertAnswer(health.liveness(), 200, "ok: starting");
    assertAnswer(health.readiness(), 503, "starting");
    // JOSDK holds its controller lock for the whole start; asking would block the probe.
    verifyNoInteractions(info);
  }

  @Test
  void runningWithHealthyEventSourcesIsLiveAndReady() {
    when(info.isStarted()).thenReturn(true);
    when(info.allEventSourcesAreHealthy()).thenReturn(true);
    health.running();

    assertAnswer(health.liveness(), 200, "ok");
    assertAnswer(health.readiness(), 200, "ok");
  }

  @Test
  void unhealthyEventSourcesMakeItUnreadyButStillLive() {
    when(info.isStarted()).thenReturn(true);
    when(info.allEventSourcesAreHealthy()).thenReturn(false);
    when(info.unhealthyEventSources())
        .thenReturn(
            Map.of(
                "rsparkcluster",
                Map.of(
                    "pods",
                    indicator(Status.UNHEALTHY),
                    "ControllerEventSource",
                    indicator(Status.UNKNOWN))));
    health.running();

    assertAnswer(health.liveness(), 200, "ok");
    assertAnswer(
        health.readiness(),
        503,
        "unhealthy event sources: rsparkcluster/ControllerEventSource=UNKNOWN,"
            + " rsparkcluster/pods=UNHEALTHY");
  }

  @Test
  void anOperatorStoppedBehindOurBackIsNeitherLiveNorReady() {
    when(info.isStarted()).thenReturn(false);
    health.running();

    assertAnswer(health.liveness(), 503, "operator stopped");
    assertAnswer(health.readiness(), 503, "operator stopped");
  }

  @Test
  void stoppingAndFailedAreNeitherLiveNorReady() {
    health.stopping();
    assertAnswer(health.liveness(), 503, "stopping");
    assertAnswer(health.readiness(), 503, "stopping");

    health.failed("informer could not list RSparkClusters");
    assertAnswer(health.liveness(), 503, "failed: informer could not list RSparkClusters");
    assertAnswer(health.readiness(), 503, "failed: informer could not list RSparkClusters");
  }

  private static EventSourceHealthIndicator indicator(Status status) {
    return () -> status;
  }

  private static void assertAnswer(Response response, int status, String body) {
    assertThat(response.status()).isEqualTo(status);
    assertThat(response.body()).isEqualTo(body + "\n");
    assertThat(response.contentType()).startsWith("text/plain");
  }
}
