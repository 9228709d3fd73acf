package io.rspark.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.rspark.operator.testing.HelmChart;
import io.rspark.operator.testing.KubeApiKit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rendered chart applied with server-side dry run to the real API server, so that Kubernetes
 * itself checks kinds, API versions, field names and types (server-side apply refuses fields its
 * schema does not declare). The ServiceMonitor is left out: its CRD belongs to prometheus-operator,
 * which the kit does not have; ChartTest checks it against the Service it scrapes.
 */
class ChartDryRunIT {
  static Stream<Path> valueSets() throws IOException {
    return ChartTest.valueSets();
  }

  @ParameterizedTest
  @MethodSource("valueSets")
  void theApiServerAcceptsEveryRenderedObject(Path values) {
    KubeApiKit kit = KubeApiKit.get();
    try (KubernetesClient admin = kit.newClient()) {
      String release = kit.newNamespace(admin, "chart-dry-run");
      List<HasMetadata> objects = HelmChart.parse(HelmChart.template(release, values));
      List<String> applied = new ArrayList<>();
      for (HasMetadata object : objects) {
        if (object.getKind().equals("ServiceMonitor")) {
          continue;
        }
        ensureNamespace(admin, object.getMetadata().getNamespace());
        HasMetadata answer = admin.resource(object).dryRun().fieldManager("helm").serverSideApply();
        assertThat(answer.getMetadata().getName()).isEqualTo(object.getMetadata().getName());
        applied.add(object.getKind());
      }
      assertThat(applied).contains("Deployment", "ServiceAccount");
      assertThat(admin.apps().deployments().inNamespace(release).list().getItems())
          .as("a dry run persists nothing")
          .isEmpty();
    }
  }

  @Test
  void aFieldKubernetesDoesNotKnowIsRefused() {
    KubeApiKit kit = KubeApiKit.get();
    try (KubernetesClient admin = kit.newClient()) {
      String release = kit.newNamespace(admin, "chart-dry-run");
      Deployment deployment = ChartTest.deployment(HelmChart.render(release, Map.of()));
      Map<String, Object> raw = Serialization.jsonMapper().convertValue(deployment, Map.class);
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = (Map<String, Object>) raw.get("spec");
      spec.put("replica", 2);
      Deployment misspelt = Serialization.jsonMapper().convertValue(raw, Deployment.class);

      assertThatThrownBy(
              () -> admin.resource(misspelt).dryRun().fieldManager("helm").serverSideApply())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("replica");
    }
  }

  @Test
  void theChartsCrdIsAcceptedAsAnUpdateOfTheInstalledOne() throws IOException {
    KubeApiKit kit = KubeApiKit.get();
    try (KubernetesClient admin = kit.newClient()) {
      for (Path file : crdFiles()) {
        CustomResourceDefinition crd =
            Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
        CustomResourceDefinition installed =
            admin
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(crd.getMetadata().getName())
                .get();
        crd.getMetadata().setResourceVersion(installed.getMetadata().getResourceVersion());
        // An update, as Kubernetes before 1.25 refuses to server-side apply CEL rules.
        CustomResourceDefinition answer = admin.resource(crd).dryRun().update();
        assertThat(answer.getSpec().getNames().getKind()).isEqualTo("RSparkCluster");
      }
    }
  }

  private static List<Path> crdFiles() throws IOException {
    try (Stream<Path> files = Files.list(HelmChart.dir().resolve("crds"))) {
      return files.sorted().toList();
    }
  }

  /** The namespaces a values file names (team-a, …) must exist for namespaced objects there. */
  private static void ensureNamespace(KubernetesClient admin, String namespace) {
    if (namespace == null || admin.namespaces().withName(namespace).get() != null) {
      return;
    }
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }
}
