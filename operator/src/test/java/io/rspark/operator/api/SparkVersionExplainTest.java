package io.rspark.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rspark.operator.spark.SparkLine;
import io.rspark.operator.testing.GeneratedCrd;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@code kubectl explain rsparkcluster.spec.sparkVersion} teaches, read from the generated
 * CRD: the lines the server accepts (its enum, which it lists when it refuses a value) and, for
 * each, the Spark release, Scala version and what changes for R users.
 */
class SparkVersionExplainTest {
  private static final JsonNode SPEC = GeneratedCrd.openApiSchema().path("properties").path("spec");

  @Test
  void theServerAcceptsExactlyTheLinesOfTheOperator() {
    JsonNode field = SPEC.path("properties").path("sparkVersion");
    assertThat(field.path("type").asText()).isEqualTo("string");
    List<String> accepted = new ArrayList<>();
    field.path("enum").forEach(v -> accepted.add(v.asText()));
    assertThat(accepted)
        .containsExactlyElementsOf(
            List.of(SparkLine.values()).stream().map(l -> l.version().value()).toList());
    assertThat(field.has("default")).as("absent means the operator's default line").isFalse();
  }

  @Test
  void theDescriptionTeachesEachLine() {
    String description = SPEC.path("properties").path("sparkVersion").path("description").asText();
    for (SparkLine line : SparkLine.values()) {
      assertThat(description)
          .contains(
              "'"
                  + line.version().value()
                  + "' runs Spark "
                  + line.sparkRelease()
                  + " with Scala "
                  + line.scalaVersion());
    }
    assertThat(description)
        .contains("security fixes until November 2027")
        .contains("SparkR is deprecated")
        .contains("sparklyr needs a release that supports Spark 4")
        .contains("rspark.default-spark-version")
        .contains("status.sparkVersion")
        .contains("quoted in YAML")
        .contains("docs/spark-versions.md");
  }

  @Test
  void anImageNeedsItsLineAsACelRuleOnTheSpec() {
    List<String> rules = new ArrayList<>();
    SPEC.path("x-kubernetes-validations")
        .forEach(r -> rules.add(r.path("rule").asText() + " => " + r.path("message").asText()));
    assertThat(rules)
        .contains(
            "!has(self.image) || has(self.sparkVersion) => "
                + RSparkClusterSpec.IMAGE_NEEDS_SPARK_VERSION);
  }
}
