package io.rspark.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.rspark.operator.api.MalformedSpecs.Layer;
import io.rspark.operator.api.MalformedSpecs.Row;
import io.rspark.operator.reconcile.SpecValidator;
import io.rspark.operator.testing.GeneratedCrd;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The table of {@link MalformedSpecs} without a server: it is large, reaches every field of the
 * spec, and the operator's validator refuses the rows it judges on older clusters with their
 * reason. {@code CrdAdmissionIT} checks the server's side.
 */
class MalformedSpecsTest {
  @Test
  void theTableIsLargeAndEveryLayerHasRows() {
    List<Row> rows = MalformedSpecs.rows();
    assertThat(rows).filteredOn(Row::refusedByTheServer).hasSizeGreaterThanOrEqualTo(60);
    for (Layer layer : Layer.values()) {
      assertThat(rows).as("rows of %s", layer).anyMatch(r -> r.layer() == layer);
    }
    assertThat(rows).extracting(Row::name).doesNotHaveDuplicates();
  }

  /** Every property of the spec, two levels deep, is named by some row. */
  @Test
  void everyFieldOfTheSpecHasARow() {
    List<String> specs = MalformedSpecs.rows().stream().map(Row::spec).toList();
    JsonNode spec = GeneratedCrd.openApiSchema().path("properties").path("spec");
    List<String> fields = new ArrayList<>();
    for (Map.Entry<String, JsonNode> top : spec.path("properties").properties()) {
      fields.add(top.getKey());
      top.getValue().path("properties").properties().forEach(sub -> fields.add(sub.getKey()));
    }
    assertThat(fields).hasSizeGreaterThan(30);
    assertThat(fields)
        .allSatisfy(f -> assertThat(specs).as("rows naming %s", f).anyMatch(s -> s.contains(f)));
  }

  static Stream<Row> judgedByTheOperator() {
    return MalformedSpecs.rows().stream().filter(Row::judgedByTheOperator);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("judgedByTheOperator")
  void theOperatorRefusesItWithItsReason(Row row) {
    RSparkCluster cluster =
        Serialization.unmarshal(
            "apiVersion: rspark.io/v1alpha1\nkind: RSparkCluster\nmetadata: {name: '"
                + row.name()
                + "'}\nspec: "
                + row.spec(),
            RSparkCluster.class);
    assertThat(SpecValidator.validate(cluster))
        .anySatisfy(
            p -> {
              assertThat(p.reason()).isEqualTo(row.reason());
              assertThat(p.message()).contains(row.operatorMessage());
            });
  }
}
