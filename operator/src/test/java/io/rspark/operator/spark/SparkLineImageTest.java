package io.rspark.operator.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.operator.testing.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SparkLine against the image recipe (images/r-executor): the build-args of each line build the
 * Spark release and Scala the operator assumes, and what the operator leaves unset on a pod is what
 * the image and the entrypoint default to.
 */
class SparkLineImageTest {
  private final Path image = RepoPaths.root().resolve("images/r-executor");

  private List<String> buildArgs(String line) throws Exception {
    Process p =
        new ProcessBuilder("bash", image.resolve("build-args").toString(), line)
            .redirectErrorStream(true)
            .start();
    List<String> out = new String(p.getInputStream().readAllBytes()).lines().toList();
    assertThat(p.waitFor()).as(String.join("\n", out)).isZero();
    return out;
  }

  @Test
  void eachLinesImageIsBuiltOnItsSparkReleaseAndScala() throws Exception {
    for (SparkLine line : SparkLine.values()) {
      String scala = line.scalaVersion();
      assertThat(buildArgs(line.version().value()))
          .as(line.name())
          .anyMatch(
              a ->
                  a.matches(
                      "--build-arg=BASE_IMAGE=\\S*spark:"
                          + line.sparkRelease().replace(".", "\\.")
                          + "-scala"
                          + scala.replace(".", "\\.")
                          + "-java\\d+-r-ubuntu"))
          .contains("--build-arg=SCALA_VERSION=" + scala)
          .anyMatch(a -> a.matches("--build-arg=SPARKLYR_JAR=sparklyr-\\S+-" + scala + "\\.jar"));
    }
  }

  @Test
  void anUnknownLineIsAUsageError() throws Exception {
    Process p =
        new ProcessBuilder("bash", image.resolve("build-args").toString(), "3.4")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).isEqualTo(64);
    assertThat(out).contains("3.5 or 4.2");
  }

  @Test
  void theScalaVersionPodsOmitIsTheImagesAndTheEntrypointsDefault() throws Exception {
    String scala = PodContract.DEFAULT_SCALA_VERSION;
    assertThat(Files.readString(image.resolve("bin/rspark-entrypoint")))
        .contains("SPARK_SCALA_VERSION=${SPARK_SCALA_VERSION:-" + scala + "}");
    assertThat(Files.readString(image.resolve("Dockerfile")))
        .contains("ARG SCALA_VERSION=" + scala + "\n")
        .contains("SPARK_SCALA_VERSION=${SCALA_VERSION}");
    assertThat(SparkLine.SPARK_3_5.scalaVersion()).isEqualTo(scala);
  }
}
