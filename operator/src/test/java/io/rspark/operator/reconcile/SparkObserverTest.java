package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rspark.operator.spark.DriverActivity;
import io.rspark.operator.spark.MasterStatus;
import io.rspark.operator.testing.MutableClock;
import io.rspark.operator.testing.TestingSparkClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Readings arrive in the background, go stale, vanish on failure, and are forgotten in time. */
class SparkObserverTest {
  private static final URI MASTER = URI.create("http://m:8080");
  private static final URI BRIDGE = URI.create("http://b:8899");
  private final MutableClock clock = new MutableClock();
  private final TestingSparkClient spark = new TestingSparkClient();
  private final SparkObserver observer = new SparkObserver(spark, clock, Duration.ofSeconds(30));

  @Test
  void aReadingIsFreshUntilMaxAgeAndGoneWhenTheNextReadFails() {
    MasterStatus status = new MasterStatus("ALIVE", List.of(), List.of());
    spark.master(MASTER, status);
    spark.driver(BRIDGE, new DriverActivity(0, 0, 0, 0, clock.instant()));
    observer.refresh("ns/a", Optional.of(MASTER), Optional.of(BRIDGE));
    await().atMost(Duration.ofSeconds(5)).until(() -> observer.master("ns/a").isPresent());
    await().atMost(Duration.ofSeconds(5)).until(() -> observer.driver("ns/a").isPresent());
    assertThat(observer.master("ns/a")).contains(status);

    clock.advance(Duration.ofSeconds(31));
    assertThat(observer.master("ns/a")).as("stale").isEmpty();

    spark.master(MASTER, status);
    observer.refresh("ns/a", Optional.of(MASTER), Optional.empty());
    await().atMost(Duration.ofSeconds(5)).until(() -> observer.master("ns/a").isPresent());

    spark.master(MASTER, null);
    observer.refresh("ns/a", Optional.of(MASTER), Optional.empty());
    await()
        .atMost(Duration.ofSeconds(5))
        .alias("a failed read replaces the fresh reading")
        .until(() -> observer.master("ns/a").isEmpty());
  }

  @Test
  void anUnreachableMasterLeavesNoReading() {
    observer.refresh("ns/b", Optional.of(URI.create("http://nowhere:8080")), Optional.empty());
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> observer.master("ns/b").isEmpty());
  }

  @Test
  void clustersNobodyAsksAboutAreForgotten() {
    observer.idleSince("ns/gone", java.util.Map.of("w-0", clock.instant()));
    observer.refresh("ns/gone", Optional.empty(), Optional.empty());
    clock.advance(Duration.ofSeconds(30L * SparkObserver.FORGET_AFTER_MAX_AGES + 1));
    observer.refresh("ns/other", Optional.empty(), Optional.empty());
    assertThat(observer.idleSince("ns/gone")).isEmpty();
  }
}
