package io.rspark.operator.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.rspark.operator.config.OperatorConfig;
import io.rspark.operator.image.Dockerfile.Instruction;
import io.rspark.operator.testing.HelmChart;
import io.rspark.operator.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The operator's image recipe, checked without a Docker engine: a pinned JRE base of the project's
 * Java release, a numeric non-root user that the chart's pod runs as, the ports the operator
 * listens on, and an entrypoint that runs the jar the COPY lines put in place. OperatorImageIT runs
 * that layout after {@code package}.
 */
class DockerfileTest {
  private static final Pattern BASE =
      Pattern.compile(
          "eclipse-temurin:(\\d+)\\.\\d+\\.\\d+_\\d+-jre-[a-z]+(@sha256:[0-9a-f]{64})?");

  private final Dockerfile dockerfile = Dockerfile.read();

  @Test
  void baseImageIsAJreOfTheProjectsJavaReleasePinnedToAVersion() throws IOException {
    Instruction from = dockerfile.only("FROM");
    Matcher base = BASE.matcher(from.arguments());

    assertThat(base.matches())
        .as("FROM %s: an eclipse-temurin JRE with its full version in the tag", from.arguments())
        .isTrue();
    String pom = Files.readString(RepoPaths.root().resolve("pom.xml"));
    assertThat(pom)
        .contains("<maven.compiler.release>" + base.group(1) + "</maven.compiler.release>");
    assertThat(from.arguments()).doesNotContain(":latest");
  }

  @Test
  void runsAsTheNumericNonRootUserOfTheChartsPod() {
    String user = dockerfile.only("USER").arguments();
    Deployment deployment =
        HelmChart.ofKind(HelmChart.render("rspark-system", Map.of()), Deployment.class)
            .findFirst()
            .orElseThrow();
    var podSecurity = deployment.getSpec().getTemplate().getSpec().getSecurityContext();

    assertThat(user).matches("\\d+:\\d+");
    String[] ids = user.split(":");
    assertThat(Long.parseLong(ids[0])).isPositive().isEqualTo(podSecurity.getRunAsUser());
    assertThat(Long.parseLong(ids[1])).isPositive().isEqualTo(podSecurity.getRunAsGroup());
    assertThat(dockerfile.instructions().get(dockerfile.instructions().size() - 1).keyword())
        .isEqualTo("ENTRYPOINT");
    assertThat(dockerfile.instructions().indexOf(dockerfile.only("USER")))
        .as("USER comes after every COPY and RUN")
        .isGreaterThan(
            dockerfile.instructions().stream()
                .filter(i -> i.keyword().equals("COPY") || i.keyword().equals("RUN"))
                .mapToInt(i -> dockerfile.instructions().indexOf(i))
                .max()
                .orElse(-1));
  }

  @Test
  void copiesTheJarAndItsLibFolderFromTheBuildAndRunsTheJar() {
    List<List<String>> copies =
        dockerfile.all("COPY").stream()
            .map(c -> Arrays.asList(c.arguments().split("\\s+")))
            .toList();
    List<String> entrypoint = dockerfile.only("ENTRYPOINT").execForm();

    assertThat(copies)
        .containsExactly(
            List.of("target/lib/", "/opt/rspark-operator/lib/"),
            List.of("target/rspark-operator.jar", "/opt/rspark-operator/rspark-operator.jar"));
    assertThat(entrypoint.get(0)).isEqualTo("java");
    assertThat(entrypoint.subList(entrypoint.size() - 2, entrypoint.size()))
        .containsExactly("-jar", "/opt/rspark-operator/rspark-operator.jar");
    assertThat(entrypoint).anyMatch(a -> a.startsWith("-XX:MaxRAMPercentage="));
    assertThat(dockerfile.all("CMD"))
        .as("no CMD: arguments other than --help are refused")
        .isEmpty();
  }

  @Test
  void exposesTheDefaultHealthAndMetricsPorts() {
    assertThat(dockerfile.only("EXPOSE").arguments().split("\\s+"))
        .containsExactlyInAnyOrder(
            OperatorConfig.HEALTH_PORT.defaultValue(), OperatorConfig.METRICS_PORT.defaultValue());
  }

  @Test
  void theBuildContextAdmitsOnlyWhatTheCopiesTake() throws IOException {
    List<String> ignore = Files.readAllLines(Dockerfile.CONTEXT.resolve(".dockerignore"));

    assertThat(ignore)
        .filteredOn(l -> !l.isBlank() && !l.startsWith("#"))
        .containsExactly("*", "!target/rspark-operator.jar", "!target/lib/");
  }
}
