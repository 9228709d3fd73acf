package io.rspark.operator.config;

import java.util.function.Function;

/**
 * One typed operator setting. It is read from the system property {@code name} or, failing that,
 * from the environment variable {@link #envName()} (upper case, dots and dashes as underscores).
 */
public record ConfigOption<T>(
    String name, String defaultValue, String description, Function<String, T> parser) {

  public String envName() {
    return name.toUpperCase().replace('.', '_').replace('-', '_');
  }
}
