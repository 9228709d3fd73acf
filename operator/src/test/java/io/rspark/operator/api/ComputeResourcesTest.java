package io.rspark.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/**
 * How the Java side reads and writes quantities. Jackson writes a {@link Quantity} as a string, so
 * {@code cpu: 2} read into the spec class comes back as {@code "2"}: harmless, because the operator
 * never writes a spec (it patches only the status subresource), so Argo CD and Flux keep comparing
 * against the user's own YAML; and the string form means the same to Kubernetes and to the schema.
 */
class ComputeResourcesTest {
  @Test
  void integersAndStringsReadAsTheSameQuantity() {
    ComputeResources integers =
        Serialization.unmarshal("cpu: 2\nmemory: 4294967296\n", ComputeResources.class);
    assertThat(integers.cpu).isEqualTo(new Quantity("2"));
    assertThat(Quantity.getAmountInBytes(integers.memory))
        .isEqualByComparingTo(Quantity.getAmountInBytes(new Quantity("4Gi")));
  }

  @Test
  void writtenBackAsStringsThatMeanTheSame() {
    ComputeResources integers =
        Serialization.unmarshal("cpu: 2\nmemory: 4294967296\n", ComputeResources.class);
    String json = Serialization.asJson(integers);
    assertThat(json).isEqualTo("{\"cpu\":\"2\",\"memory\":\"4294967296\"}");
    // CrdAdmissionIT has the server accept this form: {cpu: '2', memory: '4294967296'}.
  }
}
