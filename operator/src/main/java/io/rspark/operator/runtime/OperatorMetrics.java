package io.rspark.operator.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.source.controller.ControllerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * JOSDK's {@link Metrics} as Micrometer meters named {@code rspark_operator_*}. Tags are the
 * controller, the operation (reconcile or cleanup), the outcome and the event action: never a
 * resource's name or namespace, whose number has no bound.
 */
public final class OperatorMetrics implements Metrics {
  static final String STARTED = "rspark.operator.reconciliations.started";
  static final String FINISHED = "rspark.operator.reconciliations";
  static final String DURATION = "rspark.operator.reconciliation.duration";
  static final String EVENTS = "rspark.operator.events";
  static final String RESOURCES = "rspark.operator.managed.resources";

  private final MeterRegistry registry;

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A Prometheus registry with the JVM's and the process's own meters bound. */
  public static PrometheusMeterRegistry prometheusRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return registry;
  }

  @Override
  public void controllerRegistered(Controller<? extends HasMetadata> controller) {
    String name = controller.getConfiguration().getName();
    // Zeros from the start, so that rate() and alerts see the series before the first reconcile.
    registry.counter(STARTED, "controller", name, "operation", "reconcile");
    for (String outcome : new String[] {"success", "failure"}) {
      registry.counter(FINISHED, "controller", name, "operation", "reconcile", "outcome", outcome);
    }
    ControllerEventSource<? extends HasMetadata> source =
        controller.getEventSourceManager().getControllerEventSource();
    Gauge.builder(RESOURCES, source, OperatorMetrics::cachedCount)
        .description("Primary resources in the operator's cache, in all watched namespaces")
        .tag("controller", name)
        .tag("kind", HasMetadata.getKind(controller.getConfiguration().getResourceClass()))
        .strongReference(true)
        .register(registry);
  }

  @Override
  public void receivedEvent(Event event, Map<String, Object> metadata) {
    String action =
        event instanceof ResourceEvent resourceEvent
            ? resourceEvent.getAction().name().toLowerCase(Locale.ROOT)
            : "other";
    registry.counter(EVENTS, "controller", controller(metadata), "action", action).increment();
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    String controller = execution.controllerName();
    String operation = execution.name();
    registry.counter(STARTED, "controller", controller, "operation", operation).increment();
    Timer.Sample sample = Timer.start(registry);
    String outcome = "failure";
    try {
      T result = execution.execute();
      outcome = "success";
      return result;
    } finally {
      registry
          .counter(FINISHED, "controller", controller, "operation", operation, "outcome", outcome)
          .increment();
      sample.stop(
          Timer.builder(DURATION)
              .description("Time spent in the reconciler's reconcile or cleanup")
              .tags("controller", controller, "operation", operation, "outcome", outcome)
              .publishPercentileHistogram()
              .minimumExpectedValue(Duration.ofMillis(1))
              .maximumExpectedValue(Duration.ofMinutes(1))
              .register(registry));
    }
  }

  private static String controller(Map<String, Object> metadata) {
    return String.valueOf(metadata.getOrDefault(Constants.CONTROLLER_NAME, "unknown"));
  }

  /** NaN until the informer runs: JOSDK's cache cannot be listed before that. */
  private static double cachedCount(ControllerEventSource<? extends HasMetadata> source) {
    try {
      return source.keys().count();
    } catch (RuntimeException notStartedYet) {
      return Double.NaN;
    }
  }
}
