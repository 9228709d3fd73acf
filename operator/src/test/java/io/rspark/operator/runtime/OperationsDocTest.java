package io.rspark.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.operator.config.OperatorConfig;
import io.rspark.operator.runtime.OperatorPermissions.Rule;
import io.rspark.operator.testing.RepoPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/operations.md lists the rights of {@link OperatorPermissions} for whoever binds RBAC
 * themselves: the table between the markers is generated here and must match ({@code
 * -Dgolden.update=true} rewrites it).
 */
class OperationsDocTest {
  private static final String BEGIN = "<!-- rbac:begin -->\n";
  private static final String END = "<!-- rbac:end -->";

  @Test
  void rbacTableMatchesOperatorPermissions() throws IOException {
    Path doc = RepoPaths.root().resolve("docs/operations.md");
    String text = Files.readString(doc, StandardCharsets.UTF_8);
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    assertThat(begin).as("%s has no %s marker", doc, BEGIN.strip()).isNotNegative();
    assertThat(end).as("%s has no %s marker after the begin marker", doc, END).isGreaterThan(begin);

    String documented = text.substring(begin + BEGIN.length(), end);
    String generated = table();
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(
          doc,
          text.substring(0, begin + BEGIN.length()) + generated + text.substring(end),
          StandardCharsets.UTF_8);
      documented = generated;
    }
    assertThat(documented)
        .as("The RBAC table in %s differs from OperatorPermissions (-Dgolden.update=true)", doc)
        .isEqualTo(generated);
  }

  /** The rights of the configuration the chart runs: defaults, leader election, no CRD install. */
  static String table() {
    StringBuilder out =
        new StringBuilder(
            "| Where | API group | Resource | Verbs | Why |\n| --- | --- | --- | --- | --- |\n");
    for (Rule rule : OperatorPermissions.required(OperatorConfig.withOverrides(Map.of()))) {
      String where =
          switch (rule.scope()) {
            case WATCHED_NAMESPACES -> "watched namespaces";
            case LEASE_NAMESPACE -> "Lease namespace";
            case CLUSTER -> "cluster";
          };
      out.append("| ")
          .append(where)
          .append(" | ")
          .append(rule.apiGroup().isEmpty() ? "core" : "`" + rule.apiGroup() + "`")
          .append(" | `")
          .append(rule.resource())
          .append('`')
          .append(rule.resourceName().map(n -> " (`" + n + "` only)").orElse(""))
          .append(" | ")
          .append(String.join(", ", rule.verbs()))
          .append(" | ")
          .append(rule.why())
          .append(" |\n");
    }
    return out.toString();
  }
}
