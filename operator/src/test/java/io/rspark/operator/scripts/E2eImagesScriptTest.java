package io.rspark.operator.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.operator.testing.RepoPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * e2e/images/build.sh before it builds anything: without the kit beside the repository, or without
 * the build outputs it packs, it stops at once and says what is missing (CI runs the whole script
 * on the kit's node in every run).
 */
class E2eImagesScriptTest {
  @TempDir Path tmp;

  private record Outcome(int exit, String output) {}

  private Outcome run(Path shared, String repoRoot) throws Exception {
    Path script = Path.of(repoRoot).resolve("e2e/images/build.sh");
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
    pb.environment().put("RSPARK_SHARED", shared.toString());
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Outcome(
        p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void withoutTheKitItSaysWhereTheKitMustBe() throws Exception {
    Outcome outcome = run(tmp.resolve("no-shared"), RepoPaths.root().toString());
    assertThat(outcome.exit()).isEqualTo(1);
    assertThat(outcome.output())
        .contains("e2e-images: no " + tmp.resolve("no-shared/k8s/image.sh"))
        .contains("must sit beside the repository");
  }

  /**
   * A kit whose image.sh must not be reached, beside a repository with the scripts and no build.
   */
  private void kitWithNothingBuilt() throws Exception {
    Path shared = tmp.resolve("shared");
    Files.createDirectories(shared.resolve("k8s"));
    Files.writeString(shared.resolve("k8s/image.sh"), "echo image.sh must not run; exit 3\n");
    Path repo = tmp.resolve("repo");
    for (String script : List.of("e2e/images/build.sh", "images/r-executor/build-args")) {
      Files.createDirectories(repo.resolve(script).getParent());
      Files.copy(RepoPaths.root().resolve(script), repo.resolve(script));
    }
    Files.writeString(
        repo.resolve("pom.xml"),
        "<spark.version>3.5.6</spark.version>\n<spark4.version>4.2.0</spark4.version>\n");
  }

  private void assertAsksForTheBuildOf(String missing) throws Exception {
    Outcome outcome = run(tmp.resolve("shared"), tmp.resolve("repo").toString());
    assertThat(outcome.exit()).isEqualTo(1);
    assertThat(outcome.output())
        .contains(missing + " is missing: run mvn -B verify first")
        .doesNotContain("image.sh must not run");
  }

  @Test
  void withoutTheBuildOutputsItAsksForTheBuildFirst() throws Exception {
    kitWithNothingBuilt();
    assertAsksForTheBuildOf(
        "images/r-executor/bridge/target/spark-home/jars/spark-core_2.12-3.5.6.jar");
  }

  @Test
  void withOnlyTheFirstLinesOutputsItAsksForTheSecondLinesBuild() throws Exception {
    kitWithNothingBuilt();
    Path jars = tmp.resolve("repo/images/r-executor/bridge/target/spark-home/jars");
    Files.createDirectories(jars);
    Files.createFile(jars.resolve("spark-core_2.12-3.5.6.jar"));
    assertAsksForTheBuildOf(
        "images/r-executor/bridge-spark-4.2/target/spark-home/jars/spark-core_2.13-4.2.0.jar");
  }
}
