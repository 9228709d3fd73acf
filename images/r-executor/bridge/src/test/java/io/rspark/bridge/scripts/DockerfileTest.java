package io.rspark.bridge.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.bridge.testing.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile read statically (no Docker engine here): base image and its pinned version, what
 * it copies and from where, the entrypoint, the user, no package-manager caches left.
 */
class DockerfileTest {
  final Path image = Prerequisites.imageDir();

  /** Instructions with continuation lines joined, comments dropped. */
  List<String> instructions() throws IOException {
    String text = Files.readString(image.resolve("Dockerfile"));
    List<String> out = new ArrayList<>();
    for (String line : text.replace("\\\n", " ").split("\n")) {
      String trimmed = line.strip();
      if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
        out.add(trimmed.replaceAll("\\s+", " "));
      }
    }
    return out;
  }

  List<String> all(String keyword) throws IOException {
    return instructions().stream().filter(i -> i.startsWith(keyword + " ")).toList();
  }

  @Test
  void baseIsTheOfficialSparkImageWithRAtTheProjectsSparkVersion() throws Exception {
    assertThat(all("FROM"))
        .containsExactly("FROM spark:${SPARK_VERSION}-scala2.12-java17-r-ubuntu");
    String pom = Files.readString(Prerequisites.repoRoot().resolve("pom.xml"));
    Matcher version = Pattern.compile("<spark.version>([^<]+)</spark.version>").matcher(pom);
    assertThat(version.find()).isTrue();
    assertThat(instructions().get(0)).isEqualTo("ARG SPARK_VERSION=" + version.group(1));
  }

  @Test
  void sparklyrIsPinnedToADatedSnapshot() throws Exception {
    assertThat(all("ARG")).anyMatch(a -> a.matches("ARG SPARKLYR_VERSION=\\d+\\.\\d+\\.\\d+"));
    assertThat(all("ARG"))
        .anyMatch(a -> a.matches("ARG CRAN_SNAPSHOT=https://\\S+/\\d{4}-\\d{2}-\\d{2}"));
    assertThat(String.join("\n", all("RUN")))
        .contains("stopifnot(packageVersion('sparklyr') == '${SPARKLYR_VERSION}')");
  }

  @Test
  void copiesExistingSourcesToTheContractsPaths() throws Exception {
    List<String> copies = all("COPY");
    assertThat(copies)
        .contains("COPY Rprofile.site /etc/R/Rprofile.site")
        .contains(
            "COPY --chmod=0755 bin/rspark-entrypoint bin/rspark-r bin/rspark-install-packages"
                + " /opt/rspark/bin/")
        .contains("COPY bridge/target/rspark-bridge.jar /opt/rspark/lib/rspark-bridge.jar")
        .contains(
            "COPY bridge/target/spark-connect_2.12.jar /opt/spark/jars/spark-connect_2.12.jar");
    String ignore = Files.readString(image.resolve(".dockerignore"));
    for (String copy : copies) {
      List<String> words = new ArrayList<>(Arrays.asList(copy.split(" ")));
      words.remove(0);
      words.removeIf(w -> w.startsWith("--"));
      for (String source : words.subList(0, words.size() - 1)) {
        assertThat(ignore.lines().filter(l -> l.startsWith("!")).map(l -> l.substring(1)))
            .as(".dockerignore lets %s in", source)
            .anyMatch(
                allowed ->
                    source.equals(allowed) || allowed.endsWith("/") && source.startsWith(allowed));
        if (!source.endsWith(".jar")) {
          assertThat(image.resolve(source)).as(source).isRegularFile();
        }
      }
    }
    // The jar is the bridge module's build output.
    assertThat(Files.readString(image.resolve("bridge/pom.xml")))
        .contains("<finalName>rspark-bridge</finalName>");
    // The launcher path the operator sets as spark.r.command.
    assertThat(image.resolve("bin/rspark-r")).isExecutable();
  }

  @Test
  void runsTheEntrypointAsTheSparkUser() throws Exception {
    List<String> ins = instructions();
    assertThat(all("ENTRYPOINT"))
        .containsExactly("ENTRYPOINT [\"/opt/rspark/bin/rspark-entrypoint\"]");
    assertThat(all("USER")).last().isEqualTo("USER 185");
    int lastUser = ins.lastIndexOf("USER 185");
    assertThat(ins.subList(lastUser, ins.size())).noneMatch(i -> i.startsWith("RUN "));
    assertThat(all("ENV").get(0))
        .contains("SPARK_HOME=/opt/spark")
        .contains("RSPARK_HOME=/opt/rspark")
        .contains("SPARK_CONF_DIR=/opt/rspark/run/conf");
  }

  @Test
  void leavesNoPackageManagerCaches() throws Exception {
    for (String run : all("RUN")) {
      if (run.contains("apt-get install")) {
        assertThat(run).contains("--no-install-recommends").contains("rm -rf /var/lib/apt/lists/*");
      }
      if (run.contains("install.packages")) {
        assertThat(run).contains("/tmp/*");
      }
    }
  }
}
