package io.rspark.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A reference to an object by name in the cluster's namespace. */
public class LocalObjectReference {
  @JsonPropertyDescription("Name of the object in the same namespace.")
  @Required
  @Pattern(Patterns.DNS_SUBDOMAIN)
  @Size(min = 1, max = 253)
  public String name;

  public LocalObjectReference() {}

  public LocalObjectReference(String name) {
    this.name = name;
  }
}
