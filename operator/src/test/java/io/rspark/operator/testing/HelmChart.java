package io.rspark.operator.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The chart {@code charts/rspark-operator} through a real Helm engine (helm-java: Helm 3.16 as a
 * native library), rendered the way {@code helm template} and {@code helm install --dry-run} do.
 */
public final class HelmChart {
  public static final String RELEASE = "rspark-operator";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private HelmChart() {}

  public static Path dir() {
    return RepoPaths.root().resolve("charts/rspark-operator");
  }

  /** {@code helm lint --strict}: warnings fail too. */
  public static LintResult lintStrict() {
    return new Helm(dir()).lint().strict().call();
  }

  /** {@code helm template} with these values; Helm's errors come as IllegalStateException. */
  public static String template(String namespace, Map<String, ?> values) {
    return template(namespace, writeValues(values));
  }

  public static String template(String namespace, Path valuesFile) {
    return new Helm(dir())
        .template()
        .withName(RELEASE)
        .withNamespace(namespace)
        .withValuesFile(valuesFile)
        .call();
  }

  /** The rendered manifests as typed objects (unknown kinds as GenericKubernetesResource). */
  public static List<HasMetadata> render(String namespace, Map<String, ?> values) {
    return parse(template(namespace, values));
  }

  /** The text of NOTES.txt as {@code helm install} prints it. */
  public static String notes(String namespace, Map<String, ?> values) {
    String output =
        new Helm(dir())
            .install()
            .withName(RELEASE)
            .withNamespace(namespace)
            .withValuesFile(writeValues(values))
            .dryRun()
            .withDryRunOption(DryRun.CLIENT)
            .clientOnly()
            .call()
            .getOutput();
    int at = output.indexOf("\nNOTES:\n");
    if (at < 0) {
      throw new IllegalStateException("No NOTES in helm's output:\n" + output);
    }
    return output.substring(at + "\nNOTES:\n".length());
  }

  /** The RSparkCluster the NOTES tell users to apply (a heredoc indented by two spaces). */
  public static String notesSample(String notes) {
    return notes
        .substring(notes.indexOf("<<'YAML'\n") + 9, notes.indexOf("\n  YAML\n"))
        .lines()
        .map(l -> l.substring(2))
        .collect(Collectors.joining("\n"));
  }

  public static List<HasMetadata> parse(String manifests) {
    return Arrays.stream(manifests.split("(?m)^---\\s*$"))
        .filter(doc -> doc.lines().anyMatch(l -> l.startsWith("kind:")))
        .map(doc -> (HasMetadata) Serialization.unmarshal(doc))
        .toList();
  }

  public static <T extends HasMetadata> Stream<T> ofKind(List<HasMetadata> objects, Class<T> kind) {
    return objects.stream().filter(kind::isInstance).map(kind::cast);
  }

  private static Path writeValues(Map<String, ?> values) {
    try {
      Path file = Files.createTempFile("rspark-chart-values", ".yaml");
      file.toFile().deleteOnExit();
      YAML.writeValue(file.toFile(), values);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
