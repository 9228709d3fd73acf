package io.rspark.operator.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths relative to the repository root, wherever Maven runs a module's tests from. */
public final class RepoPaths {
  private RepoPaths() {}

  /** The repository root: the nearest directory upwards holding {@code crds/} and a pom. */
  public static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isDirectory(dir.resolve("crds")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("No repository root above " + Path.of("").toAbsolutePath());
  }

  /** {@code ../shared} beside the repository. */
  public static Path shared() {
    return root().resolveSibling("shared");
  }
}
