package io.rspark.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.bridge.testing.BridgeUnderTest;
import io.rspark.bridge.testing.ColdSession;
import io.rspark.bridge.testing.Prerequisites;
import io.rspark.bridge.testing.RBackendClient;
import io.rspark.bridge.testing.RBackendClient.JObj;
import io.rspark.bridge.testing.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attach time to the bridge beside a cold session start, in the same run (docs/benchmarks.md).
 * Attach: connect, authenticate, find the shared session, answer {@code SELECT 1} — what {@code
 * sparkR.session()} does against the bridge. Cold: a new JVM building its own context for the same
 * query, which is the floor of what {@code sparkR.session()} pays without the bridge.
 */
class AttachBenchmarkIT {
  static final int ATTACHES = 20;
  static final int COLD_STARTS = 3;

  @TempDir Path dir;

  @Test
  void attachIsUnderASecondAndAtLeastEightTimesFasterThanACold() throws Exception {
    List<Long> attach = new ArrayList<>();
    List<Long> cold = new ArrayList<>();
    String appId;
    long first;
    try (BridgeUnderTest bridge =
        BridgeUnderTest.start(dir, "bench", Map.of("RSPARK_MASTER_URL", "local[2]"))
            .awaitReady(Duration.ofSeconds(120))) {
      // The first session after the bridge is ready: what the first sparkR.session() of a
      // (re)started driver pays (it sets session confs, which needs the session's state; no job).
      // The bridge initialises that state before it is ready.
      long start = System.nanoTime();
      firstSession(bridge);
      first = (System.nanoTime() - start) / 1_000_000;
      appId = attachOnce(bridge); // the first query compiles code once for everyone
      for (int i = 0; i < ATTACHES; i++) {
        long t0 = System.nanoTime();
        assertThat(attachOnce(bridge)).isEqualTo(appId);
        attach.add((System.nanoTime() - t0) / 1_000_000);
      }
    }
    String classpath =
        Prerequisites.sparkHome().resolve("jars")
            + "/*:"
            + Path.of("target/test-classes").toAbsolutePath();
    for (int i = 0; i < COLD_STARTS; i++) {
      Run run =
          Run.of(
              dir,
              Map.of(),
              "java",
              "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
              "-cp",
              classpath,
              ColdSession.class.getName());
      assertThat(run.status()).as(run.output()).isZero();
      assertThat(run.output()).contains("cold-session local-");
      cold.add(run.millis());
    }
    long attachMedian = median(attach);
    long coldMedian = median(cold);
    String report =
        String.format(
            "| first session after the bridge is ready (connect, auth, session, set a conf) | 1 | %d"
                + " | %d | %d |%n"
                + "| SparkR protocol attach (connect, auth, session, SELECT 1) | %d | %d | %d | %d |%n"
                + "| cold session (new JVM + own SparkContext, SELECT 1) | %d | %d | %d | %d |%n"
                + "| ratio cold / attach (medians) | %.0f× | | | |%n",
            first,
            first,
            first,
            ATTACHES,
            attachMedian,
            Collections.min(attach),
            Collections.max(attach),
            COLD_STARTS,
            coldMedian,
            Collections.min(cold),
            Collections.max(cold),
            (double) coldMedian / Math.max(1, attachMedian));
    Path out = Path.of("target/benchmarks/attach.md");
    Files.createDirectories(out.getParent());
    Files.writeString(
        out,
        "| what | runs | median ms | min ms | max ms |\n| --- | --- | --- | --- | --- |\n"
            + report);
    System.out.println(report);
    assertThat(first).as("first attach ms").isLessThanOrEqualTo(1000);
    assertThat(attachMedian).isLessThanOrEqualTo(1000);
    assertThat(coldMedian).isGreaterThanOrEqualTo(8 * Math.max(1, attachMedian));
  }

  private static void firstSession(BridgeUnderTest bridge) throws Exception {
    try (RBackendClient r = bridge.client()) {
      JObj spark = (JObj) r.callStatic("org.apache.spark.sql.SparkSession", "active");
      JObj conf = (JObj) r.call(spark, "conf");
      r.call(conf, "set", "spark.r.sql.derby.temp.dir", "/tmp");
      assertThat(r.call(spark, "version")).isEqualTo(Prerequisites.sparkVersion());
    }
  }

  private static String attachOnce(BridgeUnderTest bridge) throws Exception {
    try (RBackendClient r = bridge.client()) {
      JObj spark = (JObj) r.callStatic("org.apache.spark.sql.SparkSession", "active");
      JObj row = (JObj) r.call((JObj) r.call(spark, "sql", "SELECT 1 AS one"), "first");
      assertThat(r.call(row, "getInt", 0)).isEqualTo(1);
      return (String) r.call((JObj) r.call(spark, "sparkContext"), "applicationId");
    }
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
