package io.rspark.operator.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.operator.testing.RepoPaths;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** docs/pod-contract.md names every value of {@link PodContract}, so the image's authors see it. */
class PodContractDocTest {
  @Test
  void everyContractValueIsDocumented() throws Exception {
    String doc = Files.readString(RepoPaths.root().resolve("docs/pod-contract.md"));
    for (Field field : PodContract.class.getFields()) {
      if (!Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      String value = String.valueOf(field.get(null));
      assertThat(doc)
          .as("docs/pod-contract.md names %s = %s", field.getName(), value)
          .contains(value);
    }
  }
}
