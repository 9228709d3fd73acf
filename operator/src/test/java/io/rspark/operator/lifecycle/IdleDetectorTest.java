package io.rspark.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.operator.spark.DriverActivity;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every idle decision as a table. */
class IdleDetectorTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final Duration IDLE_AFTER = Duration.ofMinutes(30);

  private static Instant ago(long minutes) {
    return NOW.minus(Duration.ofMinutes(minutes));
  }

  static Stream<Arguments> table() {
    return Stream.of(
        // name, known, report, idle, lastActivity after
        Arguments.of(
            "quiet past idleMinutes: idle",
            ago(60),
            Optional.of(new DriverActivity(0, 0, 0, 0, ago(31))),
            true,
            ago(31)),
        Arguments.of(
            "exactly idleMinutes: idle",
            ago(60),
            Optional.of(new DriverActivity(0, 0, 0, 0, ago(30))),
            true,
            ago(30)),
        Arguments.of(
            "quiet for less: not idle",
            ago(60),
            Optional.of(new DriverActivity(0, 0, 0, 0, ago(29))),
            false,
            ago(29)),
        Arguments.of(
            "an attached R session keeps it alive",
            ago(60),
            Optional.of(new DriverActivity(1, 0, 0, 0, ago(59))),
            false,
            NOW),
        Arguments.of(
            "a running job keeps it alive",
            ago(60),
            Optional.of(new DriverActivity(0, 0, 1, 0, ago(59))),
            false,
            NOW),
        Arguments.of(
            "a running Spark Connect operation keeps it alive, before its job starts",
            ago(60),
            Optional.of(new DriverActivity(0, 1, 0, 0, ago(59))),
            false,
            NOW),
        Arguments.of(
            "a later known start (resume) wins over an old report",
            ago(5),
            Optional.of(new DriverActivity(0, 0, 0, 0, ago(90))),
            false,
            ago(5)),
        Arguments.of(
            "no report: never idle, however old the last activity",
            ago(600),
            Optional.empty(),
            false,
            ago(600)),
        Arguments.of(
            "a report without a last activity counts from what is known",
            ago(45),
            Optional.of(new DriverActivity(0, 0, 0, 0, null)),
            true,
            ago(45)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void judges(
      String name,
      Instant known,
      Optional<DriverActivity> report,
      boolean idle,
      Instant lastActivity) {
    IdleDetector.Verdict v = IdleDetector.judge(known, report, IDLE_AFTER, NOW);
    assertThat(v.idle()).isEqualTo(idle);
    assertThat(v.lastActivity()).isEqualTo(lastActivity);
    assertThat(v.message()).isNotBlank();
  }
}
