package io.rspark.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.api.WorkersSpec;
import io.rspark.operator.testing.TestClusters;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourceNamesTest {

  @ParameterizedTest(name = "cluster {0}, pod {1} -> {2}")
  @CsvSource({
    "x, x-worker-0, 0",
    "x, x-worker-7, 7",
    "x, x-worker-12, 12",
    "x, x-worker-999, 999",
    "x, x-worker-1000, 1000",
    "x, x-driver, -1",
    "x, x-worker-, -1",
    "x, x-worker, -1",
    "x, x-worker-1a, -1",
    "x, x-worker-a1, -1",
    "x, x-worker--1, -1",
    "x, x-worker-+1, -1",
    "x, x-worker-1.0, -1",
    "x, 'x-worker-1 ', -1",
    "x, x-worker-01, -1",
    "x, x-worker-00, -1",
    "x, x-worker-99999, -1",
    "x, x-worker-99999999999, -1",
    "x, X-worker-0, -1",
    "x, x-Worker-0, -1",
    // Another cluster's pods.
    "x, y-worker-0, -1",
    "x, xx-worker-0, -1",
    "x, prefix-x-worker-0, -1",
    "spark, spark-worker-3, 3",
    "spark, spark-2-worker-3, -1",
    "spark-2, spark-worker-3, -1",
    "spark-2, spark-2-worker-3, 3",
    // A cluster named like a prefix of another's pod names, and the other way round.
    "a, a-worker-0-worker-1, -1",
    "a-worker-0, a-worker-0-worker-1, 1",
    "a-worker-0, a-worker-0, -1",
    "a-worker-0, a-worker-0-driver, -1",
    "a-worker, a-worker-worker-2, 2",
    "a, a-worker-worker-2, -1",
  })
  void workerOrdinal(String cluster, String pod, int ordinal) {
    assertThat(ResourceNames.workerOrdinal(cluster(cluster), pod)).isEqualTo(ordinal);
  }

  @Test
  void workerOrdinalRefusesDigitsOfOtherScripts() {
    // Character.isDigit and Integer.parseInt accept these; no pod name the operator makes has them.
    assertThat(ResourceNames.workerOrdinal(cluster("x"), "x-worker-\u0661")).isEqualTo(-1);
    assertThat(ResourceNames.workerOrdinal(cluster("x"), "x-worker-\uff11")).isEqualTo(-1);
  }

  @Test
  void workerOrdinalReadsBackEveryWorkerName() {
    RSparkCluster cluster = cluster("analytics");
    IntStream.rangeClosed(0, WorkersSpec.MAX_REPLICAS)
        .forEach(
            i ->
                assertThat(
                        ResourceNames.workerOrdinal(cluster, ResourceNames.workerPod(cluster, i)))
                    .isEqualTo(i));
  }

  @Test
  void anOrdinalIsOnlyFoundInTheNameItWouldGive() {
    RSparkCluster cluster = cluster("x");
    for (String name :
        new String[] {
          "x-worker-0", "x-worker-01", "x-worker-007", "x-worker-10", "x-worker-0010"
        }) {
      int ordinal = ResourceNames.workerOrdinal(cluster, name);
      if (ordinal >= 0) {
        assertThat(ResourceNames.workerPod(cluster, ordinal)).as(name).isEqualTo(name);
      }
    }
  }

  @Test
  void namesOfTheOtherObjects() {
    RSparkCluster cluster = cluster("analytics");
    cluster.getMetadata().setNamespace("data-team");

    assertThat(ResourceNames.driverPod(cluster)).isEqualTo("analytics-driver");
    assertThat(ResourceNames.workerPod(cluster, 4)).isEqualTo("analytics-worker-4");
    assertThat(ResourceNames.driverService(cluster)).isEqualTo("analytics-driver");
    assertThat(ResourceNames.authSecret(cluster)).isEqualTo("analytics-spark-auth");
    assertThat(ResourceNames.sparkConfig(cluster)).isEqualTo("analytics-spark-config");
    assertThat(ResourceNames.networkPolicy(cluster)).isEqualTo("analytics-cluster");
    assertThat(ResourceNames.driverHost(cluster)).isEqualTo("analytics-driver.data-team.svc");
  }

  private static RSparkCluster cluster(String name) {
    return TestClusters.cluster(name, 1);
  }
}
