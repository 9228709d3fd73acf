package io.rspark.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.bridge.testing.BridgeUnderTest;
import io.rspark.bridge.testing.RBackendClient;
import io.rspark.bridge.testing.RBackendClient.JObj;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file an R session adds to the shared application (sparklyr's spark_apply adds its package
 * bundle from the session's temp dir) and that then disappears (the session ended) must not fail
 * the jobs of everyone else: every executor that has not fetched it yet would ask the driver for it
 * with every task and fail ("Stream '/files/…' was not found"). In local mode the one executor has
 * not fetched a file until a task runs after it was added, which shows the same failure without
 * replacing an executor.
 */
class SessionFilesIT {
  @TempDir Path dir;

  @Test
  void aVanishedSessionFileDoesNotFailLaterJobs() throws Exception {
    try (BridgeUnderTest bridge =
        BridgeUnderTest.start(
            dir.resolve("bridge"), "session-files", Map.of("RSPARK_MASTER_URL", "local[1]"))) {
      bridge.awaitReady(Duration.ofSeconds(120));
      Path sessionTemp = Files.createDirectories(dir.resolve("RtmpSession/packages"));
      Path bundle = sessionTemp.resolve("packages.test-session.tar");
      Files.writeString(sessionTemp.resolve("DESCRIPTION"), "Package: inBundle\n");
      // A real tar: executors unpack a fetched .tar, as sparklyr's bundle is.
      Process tar =
          new ProcessBuilder(
                  "tar", "-cf", bundle.toString(), "-C", sessionTemp.toString(), "DESCRIPTION")
              .inheritIO()
              .start();
      assertThat(tar.waitFor()).isZero();
      Path kept = Files.writeString(dir.resolve("lookup.csv"), "a,b\n");
      try (RBackendClient r = bridge.client()) {
        JObj spark = (JObj) r.callStatic("org.apache.spark.sql.SparkSession", "active");
        // SQL's ADD FILE is SparkContext.addFile, as sparklyr calls it.
        r.call(spark, "sql", "ADD FILE '" + bundle + "'");
        r.call(spark, "sql", "ADD FILE '" + kept + "'");
      }
      // The session ends: R removes its temp dir.
      Files.delete(bundle);
      Thread.sleep(3_000);

      try (RBackendClient r = bridge.client()) {
        JObj spark = (JObj) r.callStatic("org.apache.spark.sql.SparkSession", "active");
        JObj numbers = (JObj) r.call(spark, "range", 100);
        assertThat(r.call(numbers, "count")).as(bridge.process.log()).isEqualTo(100.0);
        assertThat(r.callStatic("org.apache.spark.SparkFiles", "get", "lookup.csv"))
            .as("a file that is still there stays added")
            .asString()
            .endsWith("lookup.csv");
      }
      assertThat(bridge.process.log())
          .contains(
              "new executors will no longer fetch it: "
                  + bundle.toUri().toString().replace("file:///", "file:/"))
          .doesNotContain("was not found");
    }
  }
}
