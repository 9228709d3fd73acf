package io.rspark.operator.runtime;

import io.rspark.operator.config.OperatorConfig;
import io.rspark.operator.runtime.OperatorPermissions.Rule;
import io.rspark.operator.testing.Golden;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/operations.md lists the rights of {@link OperatorPermissions} for whoever binds RBAC
 * themselves: the table between the markers is generated here and must match ({@code
 * -Dgolden.update=true} rewrites it).
 */
class OperationsDocTest {
  @Test
  void rbacTableMatchesOperatorPermissions() {
    Golden.assertSectionMatches(
        "docs/operations.md", "<!-- rbac:begin -->", "<!-- rbac:end -->", table());
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
