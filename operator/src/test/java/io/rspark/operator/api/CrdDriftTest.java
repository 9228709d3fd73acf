package io.rspark.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceSubresourceScale;
import io.rspark.operator.testing.GeneratedCrd;
import io.rspark.operator.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The CRD the build generates is the one committed in {@code crds/} (review its diff there; {@code
 * -Dgolden.update=true} rewrites it), and it keeps the facts users and tools rely on.
 */
class CrdDriftTest {
  private static final String COMMITTED = "crds/rsparkclusters.rspark.io-v1.yml";

  /**
   * Properties whose own description is required but whose insides are not: they embed core/v1
   * types (Affinity, Toleration, EnvVar, Condition) that the crd-generator renders from fabric8's
   * model classes, which carry no descriptions. Kubernetes documents them ({@code kubectl explain
   * pod.spec.affinity}); copying upstream's texts here would only rot.
   */
  private static final Set<String> EMBEDDED_KUBERNETES_TYPES =
      Set.of(
          "spec.affinity",
          "spec.tolerations",
          "spec.env",
          "spec.access.clientSelector",
          "status.conditions");

  private final CustomResourceDefinition crd = GeneratedCrd.crd();

  @Test
  void generatedCrdIsTheCommittedOne() {
    Golden.assertMatches(COMMITTED, GeneratedCrd.text());
  }

  @Test
  void namesScopeAndVersion() {
    assertThat(crd.getMetadata().getName()).isEqualTo("rsparkclusters.rspark.io");
    assertThat(crd.getSpec().getGroup()).isEqualTo(RSparkCluster.GROUP);
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo("RSparkCluster");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("rsc");
    assertThat(crd.getSpec().getNames().getCategories()).containsExactly("rspark");
    assertThat(crd.getSpec().getVersions())
        .extracting(
            CustomResourceDefinitionVersion::getName,
            CustomResourceDefinitionVersion::getServed,
            CustomResourceDefinitionVersion::getStorage)
        .containsExactly(tuple(RSparkCluster.VERSION, true, true));
  }

  @Test
  void statusAndScaleSubresources() {
    var subresources = version().getSubresources();
    assertThat(subresources.getStatus()).as("status subresource").isNotNull();
    CustomResourceSubresourceScale scale = subresources.getScale();
    assertThat(scale).as("scale subresource (kubectl scale rsc/NAME)").isNotNull();
    assertThat(scale.getSpecReplicasPath()).isEqualTo(".spec.workers.replicas");
    assertThat(scale.getStatusReplicasPath()).isEqualTo(".status.workers.current");
    assertThat(scale.getLabelSelectorPath()).isEqualTo(".status.selector");
  }

  @Test
  void printerColumns() {
    // The crd-generator orders columns by jsonPath (fabric8io/kubernetes-client#7454), so kubectl
    // prints AGE first; only the set is ours to keep.
    assertThat(version().getAdditionalPrinterColumns())
        .extracting(c -> c.getName(), c -> c.getType(), c -> c.getJsonPath())
        .containsExactlyInAnyOrder(
            tuple("Phase", "string", ".status.phase"),
            tuple("Ready", "integer", ".status.workers.ready"),
            tuple("Desired", "integer", ".status.workers.desired"),
            tuple("Age", "date", ".metadata.creationTimestamp"));
  }

  @Test
  void everyPropertyOfOursIsDescribed() {
    JsonNode root = GeneratedCrd.openApiSchema();
    List<String> described = new ArrayList<>();
    List<String> undescribed = new ArrayList<>();
    for (String top : List.of("spec", "status")) {
      collect(root.path("properties").path(top), top, described, undescribed);
    }
    assertThat(undescribed).as("properties without a description (kubectl explain)").isEmpty();
    assertThat(described)
        .as("the walk reached the schema")
        .contains("spec.workers.replicas", "spec.driver.resources.memory")
        .hasSizeGreaterThan(30)
        .containsAll(EMBEDDED_KUBERNETES_TYPES);
  }

  private static void collect(
      JsonNode schema, String path, List<String> described, List<String> undescribed) {
    if (EMBEDDED_KUBERNETES_TYPES.contains(path)) {
      return;
    }
    for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
      String at = path + "." + p.getKey();
      String description = p.getValue().path("description").asText("");
      (description.isBlank() ? undescribed : described).add(at);
      collect(p.getValue(), at, described, undescribed);
    }
    if (schema.path("items").isObject()) {
      collect(schema.get("items"), path, described, undescribed);
    }
    if (schema.path("additionalProperties").isObject()) {
      collect(schema.get("additionalProperties"), path, described, undescribed);
    }
  }

  private CustomResourceDefinitionVersion version() {
    return crd.getSpec().getVersions().get(0);
  }
}
