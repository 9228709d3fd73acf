package io.rspark.operator.spark;

import io.rspark.operator.api.RSparkClusterSpec;
import io.rspark.operator.config.OperatorConfig;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's settings for Spark lines: the line of clusters whose spec names none, and each
 * line's default image (blank: the line has none, and a cluster of it must name its image).
 */
public record SparkLines(SparkLine defaultLine, Map<SparkLine, String> images) {
  public SparkLines {
    images = Map.copyOf(images);
  }

  public static SparkLines of(OperatorConfig config) {
    Map<SparkLine, String> images = new EnumMap<>(SparkLine.class);
    for (SparkLine line : SparkLine.values()) {
      images.put(line, config.lineImage(line.imageOption()));
    }
    String defaultLine = config.get(OperatorConfig.DEFAULT_SPARK_VERSION);
    return new SparkLines(
        Arrays.stream(SparkLine.values())
            .filter(l -> l.version().value().equals(defaultLine))
            .findFirst()
            .orElseThrow(),
        images);
  }

  /** Line 3.5 by default, {@code image} the default image of every line (tests, benchmarks). */
  public static SparkLines everyLine(String image) {
    Map<SparkLine, String> images = new EnumMap<>(SparkLine.class);
    for (SparkLine line : SparkLine.values()) {
      images.put(line, image);
    }
    return new SparkLines(SparkLine.SPARK_3_5, images);
  }

  /** The line a cluster runs: its spec.sparkVersion, else the operator's default line. */
  public SparkLine lineOf(RSparkClusterSpec spec) {
    return spec.sparkVersion == null ? defaultLine : SparkLine.of(spec.sparkVersion);
  }

  /** The default image of {@code line}, if the operator has one. */
  public Optional<String> defaultImage(SparkLine line) {
    return Optional.ofNullable(images.get(line)).filter(i -> !i.isBlank());
  }

  /** The lines with a default image, in order. */
  public List<SparkLine> configured() {
    return Arrays.stream(SparkLine.values()).filter(l -> defaultImage(l).isPresent()).toList();
  }

  /**
   * The image of a cluster: spec.image, else its line's default ("" when it has none: the validator
   * stalls such a cluster before anything is rendered).
   */
  public String imageOf(RSparkClusterSpec spec) {
    if (spec.image != null && !spec.image.isBlank()) {
      return spec.image;
    }
    return defaultImage(lineOf(spec)).orElse("");
  }
}
