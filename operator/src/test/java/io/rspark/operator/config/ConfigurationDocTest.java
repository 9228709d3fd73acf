package io.rspark.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.operator.testing.RepoPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md lists every option of {@link OperatorConfig#OPTIONS}: the table between the
 * markers is generated here and must match. {@code -Dgolden.update=true} rewrites it.
 */
class ConfigurationDocTest {
  private static final String BEGIN = "<!-- options:begin -->\n";
  private static final String END = "<!-- options:end -->";

  @Test
  void optionsTableMatchesOperatorConfig() throws IOException {
    Path doc = RepoPaths.root().resolve("docs/configuration.md");
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
        .as(
            "The options table in %s differs from OperatorConfig.OPTIONS; replace the lines between"
                + " the markers with the expected text (or run with -Dgolden.update=true)",
            doc)
        .isEqualTo(generated);
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
