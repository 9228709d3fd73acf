package io.rspark.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.rspark.operator.reconcile.SpecValidator;
import io.rspark.operator.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sample in examples/ is a cluster the operator's own validator accepts, so that copying one
 * is a working start; {@code CrdAdmissionIT} checks that a Kubernetes 1.36 API server admits them.
 */
class ExamplesTest {
  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(RepoPaths.root().resolve("examples"))) {
      List<Path> yaml = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      assertThat(yaml)
          .extracting(p -> p.getFileName().toString())
          .contains("single-node.yaml", "multi-worker.yaml", "with-r-packages.yaml");
      return yaml.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void theOperatorAcceptsTheExample(Path example) throws IOException {
    RSparkCluster cluster = Serialization.unmarshal(Files.readString(example), RSparkCluster.class);
    assertThat(SpecValidator.validate(cluster)).isEmpty();
    assertThat(cluster.getMetadata().getNamespace())
        .as("no namespace: kubectl apply -n chooses it")
        .isNull();
  }
}
