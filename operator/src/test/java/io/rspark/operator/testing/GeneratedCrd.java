package io.rspark.operator.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The CRD the crd-generator wrote into {@code target/classes} (the test classpath). */
public final class GeneratedCrd {
  public static final String RESOURCE = "META-INF/fabric8/rsparkclusters.rspark.io-v1.yml";

  private GeneratedCrd() {}

  /** Its text, exactly as on the classpath. */
  public static String text() {
    try (InputStream in = GeneratedCrd.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the test classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fresh copy, as fabric8's model. */
  public static CustomResourceDefinition crd() {
    return Serialization.unmarshal(text(), CustomResourceDefinition.class);
  }

  /** The {@code openAPIV3Schema} of its one version, as a tree. */
  public static JsonNode openApiSchema() {
    try {
      return new ObjectMapper(new YAMLFactory())
          .readTree(text())
          .at("/spec/versions/0/schema/openAPIV3Schema");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("The generated CRD is not YAML", e);
    }
  }
}
