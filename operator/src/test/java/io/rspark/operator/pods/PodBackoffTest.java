package io.rspark.operator.pods;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PodBackoffTest {
  private final Instant now = Instant.parse("2026-11-25T10:00:00Z");

  @Test
  void retainOnlyForgetsPodsOfTheClusterThatAreNoLongerWanted() {
    PodBackoff backoff = new PodBackoff(Duration.ofMinutes(5));
    backoff.recordFailure("ns/a/a-worker-3", now);
    backoff.recordFailure("ns/a/a-worker-0", now);
    backoff.recordFailure("ns/a-b/a-b-worker-3", now);

    backoff.retainOnly("ns/a/", Set.of("ns/a/a-driver", "ns/a/a-worker-0"));

    assertThat(backoff.failureCount("ns/a/a-worker-3")).isZero();
    assertThat(backoff.failureCount("ns/a/a-worker-0")).isEqualTo(1);
    assertThat(backoff.failureCount("ns/a-b/a-b-worker-3"))
        .as("another cluster whose name starts alike keeps its entries")
        .isEqualTo(1);
  }
}
