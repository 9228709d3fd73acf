package io.rspark.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files: a test compares what the code renders with a file committed in the repository, so a
 * change of output shows in review. {@code mvn verify -Dgolden.update=true} rewrites them.
 */
public final class Golden {
  private Golden() {}

  /** Compares {@code actual} with the file at {@code relativeToRoot} in the repository. */
  public static void assertMatches(String relativeToRoot, String actual) {
    Path file = RepoPaths.root().resolve(relativeToRoot);
    try {
      if (Boolean.getBoolean("golden.update")) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual, StandardCharsets.UTF_8);
      }
      assertThat(file)
          .as("golden file %s (rewrite with -Dgolden.update=true and review the diff)", file)
          .exists();
      assertThat(actual)
          .as(
              "%s drifted from the code; rewrite with -Dgolden.update=true and review the diff",
              file)
          .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
