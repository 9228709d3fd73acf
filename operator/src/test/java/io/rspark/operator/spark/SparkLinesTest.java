package io.rspark.operator.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.api.SparkVersion;
import io.rspark.operator.config.OperatorConfig;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.testing.TestClusters;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The line → facts table and how a cluster's line and image are chosen from the settings. */
class SparkLinesTest {
  @Test
  void everyLineOfTheSpecHasItsFactsAndASetting() {
    assertThat(Arrays.stream(SparkLine.values()).map(SparkLine::version))
        .containsExactly(SparkVersion.values());
    assertThat(Arrays.stream(SparkVersion.values()).map(SparkVersion::value))
        .containsExactlyElementsOf(OperatorConfig.SPARK_LINES);
    assertThat(SparkLine.SPARK_3_5.sparkRelease()).isEqualTo("3.5.6");
    assertThat(SparkLine.SPARK_3_5.scalaVersion()).isEqualTo("2.12");
    assertThat(SparkLine.SPARK_4_2.sparkRelease()).isEqualTo("4.2.0");
    assertThat(SparkLine.SPARK_4_2.scalaVersion()).isEqualTo("2.13");
    for (SparkLine line : SparkLine.values()) {
      assertThat(line.imageOption().name())
          .isEqualTo("rspark.image.spark-" + line.version().value());
      assertThat(line.imageOption().defaultValue())
          .as("images are tagged <spark release>-r4")
          .endsWith("/r-executor:" + line.sparkRelease() + "-r4");
    }
  }

  @Test
  void theDefaultsKeepExistingClustersOnSpark35WithTheImageTheyHad() {
    SparkLines lines = SparkLines.of(OperatorConfig.withOverrides(Map.of()));
    RSparkCluster cluster = TestClusters.cluster("c", 0);
    cluster.getSpec().image = null;
    cluster.getSpec().sparkVersion = null;

    assertThat(lines.lineOf(cluster.getSpec())).isEqualTo(SparkLine.SPARK_3_5);
    assertThat(lines.imageOf(cluster.getSpec())).isEqualTo("ghcr.io/rspark-io/r-executor:3.5.6-r4");
    assertThat(lines.configured()).containsExactly(SparkLine.SPARK_3_5, SparkLine.SPARK_4_2);
  }

  @Test
  void aClusterGetsItsOwnLinesImageAndTheDefaultLineFollowsTheSetting() {
    SparkLines lines =
        SparkLines.of(
            OperatorConfig.withOverrides(
                Map.of(
                    "rspark.default-spark-version", "4.2",
                    "rspark.image.spark-3.5", "r/x:3.5.6-r4",
                    "rspark.image.spark-4.2", "r/x:4.2.0-r4")));
    RSparkCluster unnamed = TestClusters.cluster("c", 2);
    unnamed.getSpec().image = null;
    unnamed.getSpec().sparkVersion = null;
    RSparkCluster on35 = TestClusters.cluster("c", 2);
    on35.getSpec().image = null;

    ClusterModel model = ClusterModel.of(unnamed, lines, 2);
    assertThat(model.sparkLine()).isEqualTo(SparkLine.SPARK_4_2);
    assertThat(model.image()).isEqualTo("r/x:4.2.0-r4");
    assertThat(model.sparkDefaultsConf()).contains("spark.master.rest.enabled false\n");
    ClusterModel model35 = ClusterModel.of(on35, lines, 2);
    assertThat(model35.sparkLine()).isEqualTo(SparkLine.SPARK_3_5);
    assertThat(model35.image()).isEqualTo("r/x:3.5.6-r4");
    assertThat(model35.sparkDefaultsConf())
        .as("3.5's master has its REST server off by default: nothing written, nothing replaced")
        .doesNotContain("spark.master.rest");
  }

  @Test
  void theDeprecatedDefaultImageStillNamesThe35ImageUnlessTheNewSettingIsGiven() {
    OperatorConfig old = OperatorConfig.withOverrides(Map.of("rspark.default-image", "r/old:1"));
    assertThat(SparkLines.of(old).defaultImage(SparkLine.SPARK_3_5)).contains("r/old:1");
    assertThat(SparkLines.of(old).defaultImage(SparkLine.SPARK_4_2))
        .contains("ghcr.io/rspark-io/r-executor:4.2.0-r4");
    assertThat(old.deprecations()).singleElement().asString().contains("rspark.image.spark-3.5");

    OperatorConfig both =
        OperatorConfig.withOverrides(
            Map.of("rspark.default-image", "r/old:1", "rspark.image.spark-3.5", "r/new:1"));
    assertThat(SparkLines.of(both).defaultImage(SparkLine.SPARK_3_5)).contains("r/new:1");
    assertThat(both.deprecations()).singleElement().asString().contains("it is set and wins");
    assertThat(OperatorConfig.withOverrides(Map.of()).deprecations()).isEmpty();
  }

  @Test
  void anEmptySettingLeavesTheLineWithoutImage() {
    SparkLines lines =
        SparkLines.of(OperatorConfig.withOverrides(Map.of("rspark.image.spark-4.2", "")));
    assertThat(lines.defaultImage(SparkLine.SPARK_4_2)).isEmpty();
    assertThat(lines.configured()).containsExactly(SparkLine.SPARK_3_5);
  }
}
