package io.rspark.operator.runtime;

import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.health.EventSourceHealthIndicator;
import io.rspark.operator.runtime.HttpEndpoints.Response;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Liveness and readiness of the operator process.
 *
 * <p>Live: the process runs and its operator has neither failed nor stopped. An unreachable API
 * server makes the operator unready, not dead: restarting the process would not bring it back.
 *
 * <p>Ready: what JOSDK reports, the operator started and all its event sources healthy. With leader
 * election a replica that is not the leader still starts its informers (JOSDK only holds back event
 * processing until it leads), so it is ready too: a warm standby. Tying readiness to leadership
 * would also stall a rolling update, whose new pod must be ready before the old leader goes.
 */
public final class Health {
  private enum Phase {
    STARTING,
    RUNNING,
    STOPPING,
    FAILED
  }

  private final Supplier<RuntimeInfo> runtimeInfo;
  private volatile Phase phase = Phase.STARTING;
  private volatile String failure = "";

  /**
   * @param runtimeInfo JOSDK's view; read only once the operator has started, since before that
   *     JOSDK locks it for the whole start-up
   */
  public Health(Supplier<RuntimeInfo> runtimeInfo) {
    this.runtimeInfo = runtimeInfo;
  }

  public void running() {
    phase = Phase.RUNNING;
  }

  public void stopping() {
    phase = Phase.STOPPING;
  }

  public void failed(String reason) {
    failure = reason;
    phase = Phase.FAILED;
  }

  public Response liveness() {
    return switch (phase) {
      case STARTING -> Response.text(200, "ok: starting");
      case RUNNING ->
          runtimeInfo.get().isStarted()
              ? Response.text(200, "ok")
              : Response.text(503, "operator stopped");
      case STOPPING -> Response.text(503, "stopping");
      case FAILED -> Response.text(503, "failed: " + failure);
    };
  }

  public Response readiness() {
    return switch (phase) {
      case STARTING -> Response.text(503, "starting");
      case RUNNING -> runningReadiness(runtimeInfo.get());
      case STOPPING -> Response.text(503, "stopping");
      case FAILED -> Response.text(503, "failed: " + failure);
    };
  }

  private static Response runningReadiness(RuntimeInfo info) {
    if (!info.isStarted()) {
      return Response.text(503, "operator stopped");
    }
    if (info.allEventSourcesAreHealthy()) {
      return Response.text(200, "ok");
    }
    return Response.text(503, "unhealthy event sources: " + describe(info.unhealthyEventSources()));
  }

  /** "controller/source=STATUS, …", sorted so that the answer is stable. */
  private static String describe(
      Map<String, Map<String, EventSourceHealthIndicator>> byController) {
    return byController.entrySet().stream()
        .flatMap(
            c ->
                c.getValue().entrySet().stream()
                    .map(s -> c.getKey() + "/" + s.getKey() + "=" + s.getValue().getStatus()))
        .sorted()
        .collect(Collectors.joining(", "));
  }
}
