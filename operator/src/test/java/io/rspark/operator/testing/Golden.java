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

  /**
   * Compares the part of the repository file {@code relativeToRoot} between the lines {@code begin}
   * and {@code end} (markers such as {@code <!-- options:begin -->}) with {@code generated}; {@code
   * -Dgolden.update=true} rewrites that part.
   */
  public static void assertSectionMatches(
      String relativeToRoot, String begin, String end, String generated) {
    Path file = RepoPaths.root().resolve(relativeToRoot);
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      String beginLine = begin + "\n";
      int from = text.indexOf(beginLine);
      int to = text.indexOf(end);
      assertThat(from).as("%s has no %s marker", file, begin).isNotNegative();
      assertThat(to).as("%s has no %s marker after %s", file, end, begin).isGreaterThan(from);
      String documented = text.substring(from + beginLine.length(), to);
      if (Boolean.getBoolean("golden.update")) {
        Files.writeString(
            file,
            text.substring(0, from + beginLine.length()) + generated + text.substring(to),
            StandardCharsets.UTF_8);
        documented = generated;
      }
      assertThat(documented)
          .as(
              "the section of %s between %s and %s differs from the code; rewrite it with"
                  + " -Dgolden.update=true and review the diff",
              file, begin, end)
          .isEqualTo(generated);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
