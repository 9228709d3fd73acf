package io.rspark.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.rspark.operator.testing.RepoPaths;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The operator's shipped logging configuration (operator/src/main/resources/logback.xml), loaded
 * into a context of its own: the tests' logback-test.xml would hide what users see.
 */
class OperatorLoggingTest {
  private static final String EVENT_PROCESSOR =
      "io.javaoperatorsdk.operator.processing.event.EventProcessor";

  private final LoggerContext context = new LoggerContext();
  private final ListAppender<ILoggingEvent> seen = new ListAppender<>();

  OperatorLoggingTest() throws Exception {
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(
        RepoPaths.root().resolve("operator/src/main/resources/logback.xml").toFile());
    seen.setContext(context);
    seen.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(seen);
  }

  @Test
  void aRetriedStatusConflictIsNotShownAtInfoButTheEventProcessorsWarningsAre() {
    Logger josdk = context.getLogger(EVENT_PROCESSOR);
    josdk.info(
        "Resource Kubernetes Resource Creator/Update Conflict during reconciliation. Message: {}"
            + " Resource name: {}",
        "Operation cannot be fulfilled ... the object has been modified (409)",
        "analytics");
    josdk.warn("Uncaught error during event processing {}", "analytics");
    assertThat(seen.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(m -> m.contains("Conflict"))
        .anyMatch(m -> m.startsWith("Uncaught error"));
  }

  @Test
  void theOperatorsOwnInfoAndJosdksOtherInfoStillShow() {
    context.getLogger("io.rspark.operator.reconcile.ApiObjectWriter").info("Created Pod a-driver");
    context.getLogger("io.javaoperatorsdk.operator.processing.Controller").info("Started");
    assertThat(seen.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("Created Pod a-driver", "Started");
  }
}
