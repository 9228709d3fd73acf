package io.rspark.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.javaoperatorsdk.operator.api.monitoring.Metrics.ControllerExecution;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceAction;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceEvent;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rspark.operator.api.RSparkCluster;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class OperatorMetricsTest {
  private final PrometheusMeterRegistry registry = OperatorMetrics.prometheusRegistry();
  private final OperatorMetrics metrics = new OperatorMetrics(registry);

  @Test
  void registryCarriesJvmAndProcessMeters() {
    assertThat(registry.scrape())
        .contains("jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads")
        .contains("process_cpu_usage", "process_uptime_seconds");
  }

  @Test
  @SuppressWarnings("unchecked")
  void registeredControllerStartsAtZeroAndCountsCachedResources() {
    Controller<RSparkCluster> controller = mock(Controller.class, RETURNS_DEEP_STUBS);
    when(controller.getConfiguration().getName()).thenReturn("rsparkcluster");
    when(controller.getConfiguration().getResourceClass()).thenReturn(RSparkCluster.class);
    when(controller.getEventSourceManager().getControllerEventSource().keys())
        .thenAnswer(i -> Stream.of(new ResourceID("a", "ns"), new ResourceID("b", "ns")));

    metrics.controllerRegistered(controller);

    assertThat(registry.scrape())
        .contains(
            "rspark_operator_managed_resources{controller=\"rsparkcluster\",kind=\"RSparkCluster\"}"
                + " 2.0",
            "rspark_operator_reconciliations_started_total{controller=\"rsparkcluster\","
                + "operation=\"reconcile\"} 0.0",
            "rspark_operator_reconciliations_total{controller=\"rsparkcluster\","
                + "operation=\"reconcile\",outcome=\"failure\"} 0.0");
  }

  @Test
  void countsAndTimesSuccessfulAndFailedExecutions() throws Exception {
    assertThat(metrics.timeControllerExecution(execution("reconcile", () -> "done")))
        .isEqualTo("done");
    IllegalStateException boom = new IllegalStateException("boom");
    // The reconciler's own exception must reach JOSDK unchanged: it drives retries and logging.
    assertThatThrownBy(
            () ->
                metrics.timeControllerExecution(
                    execution(
                        "reconcile",
                        () -> {
                          throw boom;
                        })))
        .isSameAs(boom);

    String scrape = registry.scrape();
    assertThat(scrape)
        .contains(
            "rspark_operator_reconciliations_started_total{controller=\"c\",operation=\"reconcile\"}"
                + " 2.0",
            "rspark_operator_reconciliations_total{controller=\"c\",operation=\"reconcile\","
                + "outcome=\"success\"} 1.0",
            "rspark_operator_reconciliations_total{controller=\"c\",operation=\"reconcile\","
                + "outcome=\"failure\"} 1.0",
            "rspark_operator_reconciliation_duration_seconds_count{controller=\"c\","
                + "operation=\"reconcile\",outcome=\"success\"} 1",
            "rspark_operator_reconciliation_duration_seconds_bucket{");
    assertThat(scrape).doesNotContain("resource_name", "namespace=");
  }

  @Test
  void countsEventsByControllerAndAction() {
    Map<String, Object> metadata = Map.of(Constants.CONTROLLER_NAME, "c");
    ResourceID id = new ResourceID("a", "ns");

    metrics.receivedEvent(new ResourceEvent(ResourceAction.ADDED, id, null), metadata);
    metrics.receivedEvent(new ResourceEvent(ResourceAction.UPDATED, id, null), metadata);
    metrics.receivedEvent(new ResourceEvent(ResourceAction.UPDATED, id, null), metadata);
    metrics.receivedEvent(new Event(id), Map.of());

    assertThat(registry.scrape())
        .contains(
            "rspark_operator_events_total{action=\"added\",controller=\"c\"} 1.0",
            "rspark_operator_events_total{action=\"updated\",controller=\"c\"} 2.0",
            "rspark_operator_events_total{action=\"other\",controller=\"unknown\"} 1.0");
  }

  private interface Body<T> {
    T run() throws Exception;
  }

  private static <T> ControllerExecution<T> execution(String name, Body<T> body) {
    return new ControllerExecution<>() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String controllerName() {
        return "c";
      }

      @Override
      public String successTypeName(T result) {
        return "resource";
      }

      @Override
      public ResourceID resourceID() {
        return new ResourceID("a", "ns");
      }

      @Override
      public Map<String, Object> metadata() {
        return Map.of();
      }

      @Override
      public T execute() throws Exception {
        return body.run();
      }
    };
  }
}
