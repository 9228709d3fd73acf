package io.rspark.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Generates the RSparkCluster CRD at build time (the operator pom runs it at process-classes; the
 * crd-generator is a build-only dependency, so this class is never run by the operator).
 *
 * <p>It drives fabric8's own {@link CRDGenerator} rather than its Maven plugin because only its
 * API, not the plugin, takes a {@link CRDPostProcessor}, and two things need one:
 *
 * <ul>
 *   <li>The generator orders {@code additionalPrinterColumns} by jsonPath
 *       (fabric8io/kubernetes-client#7454), which puts AGE ({@code .metadata.creationTimestamp})
 *       before PHASE. {@link #orderPrinterColumns} restores the order the {@link
 *       AdditionalPrinterColumn} annotations are declared in, the order {@code kubectl get rsc}
 *       prints.
 *   <li>It renders a {@link Quantity} field as int-or-string, as Kubernetes does, but drops the
 *       field's {@link Pattern}, {@link Size} and {@link Min}. {@link #restoreQuantityValidations}
 *       puts them back (as controller-gen does for resource.Quantity): pattern and length bind
 *       strings, minimum binds integers.
 * </ul>
 */
public final class CrdGeneration {
  private CrdGeneration() {}

  /**
   * {@code args[0]}: the directory to write the CRD into ({@code target/classes/META-INF/fabric8}).
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: CrdGeneration <output directory>");
    }
    Path out = Files.createDirectories(Path.of(args[0]));
    int written =
        new CRDGenerator()
            .customResourceClasses(RSparkCluster.class)
            .forCRDVersions("v1")
            .withPostProcessor(
                new CRDPostProcessor() {
                  @Override
                  public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
                    // forCRDVersions("v1"): the only kind of CRD the generator hands over.
                    for (CustomResourceDefinitionVersion version :
                        ((CustomResourceDefinition) crd).getSpec().getVersions()) {
                      orderPrinterColumns(version, RSparkCluster.class);
                      restoreQuantityValidations(
                          version.getSchema().getOpenAPIV3Schema().getProperties().get("spec"),
                          RSparkClusterSpec.class);
                    }
                    return crd;
                  }
                })
            .inOutputDir(out.toFile())
            .generate();
    if (written != 1) {
      throw new IllegalStateException("expected one CRD, the generator wrote " + written);
    }
  }

  /** Sorts the printer columns by the position of their annotation on {@code resource}. */
  static void orderPrinterColumns(CustomResourceDefinitionVersion version, Class<?> resource) {
    List<String> declared =
        Arrays.stream(resource.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();
    Comparator<CustomResourceColumnDefinition> byDeclaration =
        Comparator.comparingInt(
            c -> {
              int at = declared.indexOf(c.getName());
              if (at < 0) {
                throw new IllegalStateException(
                    "printer column " + c.getName() + " is not declared on " + resource);
              }
              return at;
            });
    if (version.getAdditionalPrinterColumns() != null) {
      version.setAdditionalPrinterColumns(
          version.getAdditionalPrinterColumns().stream().sorted(byDeclaration).toList());
    }
  }

  /**
   * Copies the validations of each Quantity field onto its int-or-string schema, walking the spec's
   * own classes (public fields, named as in JSON) beside their schema.
   */
  static void restoreQuantityValidations(JSONSchemaProps schema, Class<?> type) {
    for (Field field : type.getFields()) {
      JSONSchemaProps property =
          schema.getProperties() == null ? null : schema.getProperties().get(field.getName());
      if (property == null) {
        continue;
      }
      if (field.getType() == Quantity.class) {
        copyValidations(field, property);
      } else if (field.getType().getPackage() == type.getPackage() && !field.getType().isEnum()) {
        restoreQuantityValidations(property, field.getType());
      }
    }
  }

  private static void copyValidations(Field field, JSONSchemaProps property) {
    if (!Boolean.TRUE.equals(property.getXKubernetesIntOrString())) {
      throw new IllegalStateException(
          field + " is a Quantity the generator did not render as int-or-string");
    }
    Pattern pattern = field.getAnnotation(Pattern.class);
    if (pattern != null) {
      property.setPattern(pattern.value());
    }
    Size size = field.getAnnotation(Size.class);
    if (size != null && size.max() != Long.MAX_VALUE) {
      property.setMaxLength(size.max());
    }
    Min min = field.getAnnotation(Min.class);
    if (min != null) {
      property.setMinimum(min.value());
      property.setExclusiveMinimum(min.inclusive() ? null : true);
    }
  }
}
