package io.rspark.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Generates the RSparkCluster CRD at build time (the operator pom runs it at process-classes; the
 * crd-generator is a build-only dependency, so this class is never run by the operator).
 *
 * <p>It drives fabric8's own {@link CRDGenerator} rather than its Maven plugin for one reason: the
 * generator orders {@code additionalPrinterColumns} by jsonPath (fabric8io/kubernetes-client#7454),
 * which puts AGE ({@code .metadata.creationTimestamp}) before PHASE, and only its API, not the
 * plugin, takes a {@link CRDPostProcessor}. The post-processor puts the columns back in the order
 * the {@link AdditionalPrinterColumn} annotations are declared on {@link RSparkCluster}, which is
 * the order {@code kubectl get rsc} prints.
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
            .withPostProcessor(new PrinterColumnsInDeclaredOrder(RSparkCluster.class))
            .inOutputDir(out.toFile())
            .generate();
    if (written != 1) {
      throw new IllegalStateException("expected one CRD, the generator wrote " + written);
    }
  }

  /** Sorts each version's printer columns by the position of their annotation on the class. */
  static final class PrinterColumnsInDeclaredOrder implements CRDPostProcessor {
    private final List<String> declared;

    PrinterColumnsInDeclaredOrder(Class<?> resource) {
      this.declared =
          Arrays.stream(resource.getAnnotationsByType(AdditionalPrinterColumn.class))
              .map(AdditionalPrinterColumn::name)
              .toList();
    }

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      if (crd instanceof CustomResourceDefinition v1) {
        for (CustomResourceDefinitionVersion version : v1.getSpec().getVersions()) {
          List<CustomResourceColumnDefinition> columns = version.getAdditionalPrinterColumns();
          if (columns != null) {
            version.setAdditionalPrinterColumns(
                columns.stream().sorted(Comparator.comparingInt(this::position)).toList());
          }
        }
      }
      return crd;
    }

    private int position(CustomResourceColumnDefinition column) {
      int at = declared.indexOf(column.getName());
      if (at < 0) {
        throw new IllegalStateException(
            "printer column " + column.getName() + " is not declared on the class");
      }
      return at;
    }
  }
}
