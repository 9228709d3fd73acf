package io.rspark.bridge.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.bridge.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** The --build-arg values images/r-executor/build-args prints for a Spark line. */
  Map<String, String> buildArgs(String line) throws Exception {
    Process p =
        new ProcessBuilder("bash", image.resolve("build-args").toString(), line)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    Map<String, String> args = new LinkedHashMap<>();
    for (String arg : out.lines().toList()) {
      assertThat(arg).startsWith("--build-arg=");
      String[] kv = arg.substring("--build-arg=".length()).split("=", 2);
      args.put(kv[0], kv[1]);
    }
    return args;
  }

  String pomProperty(String name) throws IOException {
    String pom = Files.readString(Prerequisites.repoRoot().resolve("pom.xml"));
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
    assertThat(m.find()).as(name).isTrue();
    return m.group(1);
  }

  /** An instruction with the line's build args put in, as the builder reads it. */
  static String expand(String instruction, Map<String, String> args) {
    String out = instruction;
    for (Map.Entry<String, String> arg : args.entrySet()) {
      out = out.replace("${" + arg.getKey() + "}", arg.getValue());
    }
    return out;
  }

  @Test
  void baseIsEachLinesOfficialSparkImageWithRAtTheProjectsSparkVersions() throws Exception {
    assertThat(all("FROM")).containsExactly("FROM ${BASE_IMAGE}");
    // The defaults are the 3.5 line's, so that a plain build makes the 3.5 image.
    assertThat(instructions().get(0))
        .isEqualTo(
            "ARG BASE_IMAGE=spark:" + pomProperty("spark.version") + "-scala2.12-java17-r-ubuntu");
    assertThat(buildArgs("3.5"))
        .containsEntry(
            "BASE_IMAGE", "spark:" + pomProperty("spark.version") + "-scala2.12-java17-r-ubuntu")
        .containsEntry("SCALA_VERSION", "2.12")
        .containsEntry("BRIDGE_MODULE", "bridge");
    assertThat(buildArgs("4.2"))
        .containsEntry(
            "BASE_IMAGE",
            "apache/spark:" + pomProperty("spark4.version") + "-scala2.13-java21-r-ubuntu")
        .containsEntry("SCALA_VERSION", "2.13")
        .containsEntry("BRIDGE_MODULE", "bridge-spark-4.2");
    for (String line : List.of("3.5", "4.2")) {
      Map<String, String> args = buildArgs(line);
      for (String name : args.keySet()) {
        assertThat(all("ARG")).as(line).anyMatch(a -> a.startsWith("ARG " + name + "="));
      }
      assertThat(args.get("SPARKLYR_JAR")).endsWith("-" + args.get("SCALA_VERSION") + ".jar");
    }
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
  void copiesExistingSourcesToTheContractsPathsOnEachLine() throws Exception {
    for (String line : List.of("3.5", "4.2")) {
      copiesExistingSourcesToTheContractsPaths(line);
    }
  }

  void copiesExistingSourcesToTheContractsPaths(String line) throws Exception {
    Map<String, String> args = buildArgs(line);
    String module = args.get("BRIDGE_MODULE");
    String scala = args.get("SCALA_VERSION");
    List<String> copies = all("COPY").stream().map(c -> expand(c, args)).toList();
    assertThat(copies)
        .as(line)
        .contains("COPY Rprofile.site /etc/R/Rprofile.site")
        .contains(
            "COPY --chmod=0755 bin/rspark-entrypoint bin/rspark-r bin/rspark-install-packages"
                + " /opt/rspark/bin/")
        .contains("COPY " + module + "/target/rspark-bridge.jar /opt/rspark/lib/rspark-bridge.jar")
        .contains(
            "COPY "
                + module
                + "/target/spark-connect_"
                + scala
                + ".jar /opt/rspark/lib/spark-connect.jar");
    // Where the base has no Connect server (Spark 3.5) the copied one joins Spark's jars.
    assertThat(String.join("\n", all("RUN")))
        .contains("if ls /opt/spark/jars/spark-connect_*.jar")
        .contains(
            "mv /opt/rspark/lib/spark-connect.jar \"/opt/spark/jars/spark-connect_${SCALA_VERSION}.jar\"");
    // The module's build makes the jars the COPY lines take.
    String pom = Files.readString(image.resolve(module + "/pom.xml"));
    assertThat(pom)
        .as(module)
        .contains("<finalName>rspark-bridge</finalName>")
        .contains("<destFileName>spark-connect_" + scala + ".jar</destFileName>");
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
