package io.rspark.operator.api;

import io.rspark.operator.api.MalformedSpecs.Layer;
import io.rspark.operator.api.MalformedSpecs.Row;
import io.rspark.operator.testing.Golden;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/validation.md lists every row of {@link MalformedSpecs}, who refuses it on 1.25+ and on
 * older clusters and what they say: the section between the markers is generated here and must
 * match. {@code -Dgolden.update=true} rewrites it.
 */
class ValidationDocTest {
  private static final int SHOWN = 90;

  @Test
  void malformedSpecsTableMatchesTheTests() {
    Golden.assertSectionMatches(
        "docs/validation.md", "<!-- malformed:begin -->", "<!-- malformed:end -->", section());
  }

  static String section() {
    List<Row> rows = MalformedSpecs.rows();
    StringBuilder out = new StringBuilder();
    out.append(rows.size())
        .append(" malformed specs. A Kubernetes 1.36 API server refuses ")
        .append(rows.stream().filter(Row::refusedByTheServer).count())
        .append(" of them: ")
        .append(count(rows, Layer.SCHEMA))
        .append(" by the schema, ")
        .append(count(rows, Layer.UNKNOWN_FIELD))
        .append(" as unknown fields and ")
        .append(count(rows, Layer.CEL))
        .append(" by CEL rules; the operator judges the other ")
        .append(count(rows, Layer.OPERATOR))
        .append(", and on clusters older than 1.25 also the CEL ones.\n\n")
        .append("| spec | refused on 1.25+ by | the server says (1.36) | on older clusters |\n")
        .append("| --- | --- | --- | --- |\n");
    for (Row r : rows) {
      out.append("| ")
          .append(code(r.name().startsWith("bad-") ? r.spec() : "metadata.name: " + r.name()))
          .append(" | ")
          .append(layer(r.layer()))
          .append(" | ")
          .append(r.refusedByTheServer() ? cell(r.serverMessage()) : "accepted")
          .append(" | ")
          .append(older(r))
          .append(" |\n");
    }
    return out.toString();
  }

  private static long count(List<Row> rows, Layer layer) {
    return rows.stream().filter(r -> r.layer() == layer).count();
  }

  private static String layer(Layer layer) {
    return switch (layer) {
      case SCHEMA -> "schema";
      case UNKNOWN_FIELD -> "strict field validation";
      case CEL -> "CEL rule";
      case OPERATOR -> "the operator (Stalled)";
    };
  }

  private static String older(Row r) {
    return switch (r.layer()) {
      case SCHEMA -> "refused alike";
      case UNKNOWN_FIELD -> "dropped silently";
      case CEL, OPERATOR ->
          (r.refusedBy120()
                  ? "1.20 refuses it (it reads the empty string as null); otherwise "
                  : "")
              + "Stalled, `"
              + r.reason()
              + "`: "
              + cell(r.operatorMessage());
    };
  }

  private static String code(String text) {
    String shown = text.length() > SHOWN ? text.substring(0, SHOWN) + "…" : text;
    return "`" + shown.replace("|", "\\|") + "`";
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("<", "&lt;").replace("\n", " ");
  }
}
