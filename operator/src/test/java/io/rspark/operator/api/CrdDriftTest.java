package io.rspark.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceSubresourceScale;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.rspark.operator.testing.GeneratedCrd;
import io.rspark.operator.testing.Golden;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The CRD the build generates is the one committed in {@code crds/} (review its diff there; {@code
 * -Dgolden.update=true} rewrites it), and it keeps the facts users and tools rely on.
 */
class CrdDriftTest {
  private static final String COMMITTED = "crds/rsparkclusters.rspark.io-v1.yml";

  /**
   * Properties whose own description is required but whose insides are not: they embed Kubernetes
   * types that the crd-generator renders from fabric8's model classes, which carry no descriptions.
   * Kubernetes documents them, so each description names its type and, where one exists, the {@code
   * kubectl explain} path that documents it; copying upstream's texts here would only rot. Values:
   * the type's name, then the explain path ({@code ""} when no built-in field has it).
   */
  private static final Map<String, List<String>> EMBEDDED_KUBERNETES_TYPES =
      Map.of(
          "spec.affinity", List.of("Affinity", "kubectl explain pod.spec.affinity"),
          "spec.tolerations", List.of("Toleration", "kubectl explain pod.spec.tolerations"),
          "spec.env", List.of("EnvVar", "kubectl explain pod.spec.containers.env"),
          "spec.access.clientSelector",
              List.of("LabelSelector", "kubectl explain networkpolicy.spec.podSelector"),
          "status.conditions", List.of("Condition", ""));

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
  void printerColumnsInTheOrderKubectlShouldPrintThem() {
    // kubectl get rsc: NAME (always first), PHASE, DESIRED, READY, AGE. The crd-generator would
    // order them by jsonPath (AGE first); CrdGeneration keeps the order of the annotations.
    assertThat(version().getAdditionalPrinterColumns())
        .extracting(c -> c.getName(), c -> c.getType(), c -> c.getJsonPath())
        .containsExactly(
            tuple("Phase", "string", ".status.phase"),
            tuple("Desired", "integer", ".status.workers.desired"),
            tuple("Ready", "integer", ".status.workers.ready"),
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
        .containsAll(EMBEDDED_KUBERNETES_TYPES.keySet());
  }

  @Test
  void fieldsOfKubernetesTypesAreTheListedOnes() {
    Map<String, Class<?>> found = new TreeMap<>();
    kubernetesTypedFields(RSparkClusterSpec.class, "spec", found);
    kubernetesTypedFields(RSparkClusterStatus.class, "status", found);
    assertThat(found.keySet())
        .as("fields of fabric8 model types (a new one needs its line in EMBEDDED_KUBERNETES_TYPES)")
        .containsExactlyInAnyOrderElementsOf(EMBEDDED_KUBERNETES_TYPES.keySet());
    found.forEach(
        (path, type) ->
            assertThat(type.getSimpleName())
                .as(path)
                .isEqualTo(EMBEDDED_KUBERNETES_TYPES.get(path).get(0)));
  }

  @Test
  void fieldsOfKubernetesTypesSayWhichTypeInTheirDescription() {
    JSONSchemaProps root = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    EMBEDDED_KUBERNETES_TYPES.forEach(
        (path, typeAndExplain) -> {
          JSONSchemaProps field = root;
          for (String name : path.split("\\.")) {
            field = field.getProperties().get(name);
          }
          String description = field.getDescription();
          assertThat(description)
              .as("description of %s (kubectl explain rsc.%s)", path, path)
              .contains("Kubernetes " + typeAndExplain.get(0))
              .contains(typeAndExplain.get(1));
        });
  }

  /** Public fields whose type, or element type, is a fabric8 model class other than Quantity. */
  private static void kubernetesTypedFields(
      Class<?> type, String path, Map<String, Class<?>> found) {
    for (Field field : type.getFields()) {
      if (Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      Class<?> valueType = field.getType();
      if (field.getGenericType() instanceof ParameterizedType list
          && List.class.isAssignableFrom(valueType)
          && list.getActualTypeArguments()[0] instanceof Class<?> element) {
        valueType = element;
      }
      String at = path + "." + field.getName();
      if (valueType.getPackageName().startsWith("io.fabric8.kubernetes.api.model")
          && valueType != Quantity.class) {
        found.put(at, valueType);
      } else if (valueType.getPackage() == RSparkCluster.class.getPackage()
          && !valueType.isEnum()) {
        kubernetesTypedFields(valueType, at, found);
      }
    }
  }

  private static void collect(
      JsonNode schema, String path, List<String> described, List<String> undescribed) {
    if (EMBEDDED_KUBERNETES_TYPES.containsKey(path)) {
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
