package io.rspark.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.operator.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The operator's packages depend on each other in one direction only, so a reader can learn them
 * bottom-up: the resource's types, then Spark and the objects rendered from a spec, then the pure
 * decisions about pods, scaling and status, then the reconcile steps that carry them out, then the
 * process around them.
 */
class PackageLayersTest {
  private static final String ROOT = "io.rspark.operator";

  /** The operator packages each package may import; anything else is a back-arrow. */
  private static final Map<String, Set<String>> MAY_IMPORT =
      Map.ofEntries(
          Map.entry("api", Set.of()),
          Map.entry("config", Set.of()),
          Map.entry("spark", Set.of("api", "config")),
          Map.entry("resources", Set.of("api", "config", "spark")),
          Map.entry("pods", Set.of("api", "resources", "spark")),
          Map.entry("scaling", Set.of("pods", "spark")),
          Map.entry("lifecycle", Set.of("api", "scaling", "spark")),
          Map.entry("status", Set.of("api", "pods", "resources", "spark")),
          Map.entry(
              "reconcile",
              Set.of(
                  "api", "config", "spark", "resources", "pods", "scaling", "lifecycle", "status")),
          Map.entry("runtime", Set.of("api", "config", "resources", "reconcile")),
          Map.entry("", Set.of("api", "config", "spark", "reconcile", "runtime")));

  private static final Pattern IMPORT =
      Pattern.compile(
          "^import (?:static )?" + Pattern.quote(ROOT) + "\\.([a-z.]+)\\.[A-Z]", Pattern.MULTILINE);

  @Test
  void everyPackageImportsOnlyTheLayersBelowIt() throws IOException {
    Path sources = RepoPaths.root().resolve("operator/src/main/java/io/rspark/operator");
    List<String> backArrows = new ArrayList<>();
    Set<String> packages = new TreeSet<>();
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String pkg = sources.relativize(file.getParent()).toString().replace('/', '.');
        packages.add(pkg);
        Set<String> allowed = MAY_IMPORT.get(pkg);
        assertThat(allowed).as("layer of package '%s' (add it to MAY_IMPORT)", pkg).isNotNull();
        Matcher m = IMPORT.matcher(Files.readString(file));
        while (m.find()) {
          String imported = m.group(1);
          if (!imported.equals(pkg) && !allowed.contains(imported)) {
            backArrows.add(sources.relativize(file) + " imports " + imported);
          }
        }
      }
    }
    assertThat(packages).as("packages found").contains("api", "reconcile", "status", "pods");
    assertThat(backArrows).isEmpty();
  }
}
