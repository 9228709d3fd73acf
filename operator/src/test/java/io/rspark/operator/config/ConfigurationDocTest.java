package io.rspark.operator.config;

import io.rspark.operator.testing.Golden;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md lists every option of {@link OperatorConfig#OPTIONS}: the table between the
 * markers is generated here and must match. {@code -Dgolden.update=true} rewrites it.
 */
class ConfigurationDocTest {
  @Test
  void optionsTableMatchesOperatorConfig() {
    Golden.assertSectionMatches(
        "docs/configuration.md", "<!-- options:begin -->", "<!-- options:end -->", table());
  }

  static String table() {
    StringBuilder out =
        new StringBuilder(
            "| Option (system property) | Environment variable | Default | Description |\n"
                + "| --- | --- | --- | --- |\n");
    for (ConfigOption<?> option : OperatorConfig.OPTIONS) {
      String defaultValue =
          option.defaultValue().isEmpty() ? "(empty)" : "`" + option.defaultValue() + "`";
      out.append("| `")
          .append(option.name())
          .append("` | `")
          .append(option.envName())
          .append("` | ")
          .append(defaultValue)
          .append(" | ")
          .append(option.description().replace("|", "\\|"))
          .append(" |\n");
    }
    return out.toString();
  }
}
