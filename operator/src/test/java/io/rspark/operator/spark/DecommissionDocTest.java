package io.rspark.operator.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.operator.testing.RepoPaths;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** docs/operations.md names every decommissioning setting the operator writes, with its value. */
class DecommissionDocTest {
  @Test
  void operationsDocListsTheDecommissionSettings() throws Exception {
    String doc = Files.readString(RepoPaths.root().resolve("docs/operations.md"));
    assertThat(SparkDefaults.DECOMMISSION).isNotEmpty();
    SparkDefaults.DECOMMISSION.forEach(
        (key, value) -> assertThat(doc).contains("| `" + key + "` | `" + value + "` |"));
  }
}
