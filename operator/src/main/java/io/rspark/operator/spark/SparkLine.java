package io.rspark.operator.spark;

import io.rspark.operator.api.SparkVersion;
import io.rspark.operator.config.ConfigOption;
import io.rspark.operator.config.OperatorConfig;
import java.util.Map;

/**
 * What the operator knows about each Spark line a cluster can run (docs/spark-versions.md): the
 * Spark release of the line's images, their Scala version, the setting holding the line's default
 * image, and the Spark settings the operator must write differently on it. Every key the operator
 * writes was compared between Spark 3.5.6 and 4.2.0 (their config definitions in spark-core and
 * spark-kubernetes, and Spark's core migration guide): all keep their names and types; only {@link
 * #standaloneMasterConf} needs a value of its own per line (spark.worker.cleanup.enabled changed
 * its default too, and SparkDefaults writes it on both lines).
 */
public enum SparkLine {
  SPARK_3_5(SparkVersion.V3_5, "3.5.6", "2.12", OperatorConfig.IMAGE_SPARK_3_5, Map.of()),
  SPARK_4_2(
      SparkVersion.V4_2,
      "4.2.0",
      "2.13",
      OperatorConfig.IMAGE_SPARK_4_2,
      // Since Spark 4.1 the standalone master starts its REST submission server (port 6066) by
      // default (spark.master.rest.enabled: false in 3.5.6, true in 4.2.0), and 4.2.0's Master
      // no longer refuses it beside spark.authenticate as 3.5.6's does ("The
      // RestSubmissionServer does not support authentication"). The server itself checks no
      // secret, so anyone reaching the driver pod could submit a driver to the workers: 3.5's
      // default (off) is kept on 4.2, and the key is operator-owned.
      Map.of("spark.master.rest.enabled", "false"));

  private final SparkVersion version;
  private final String sparkRelease;
  private final String scalaVersion;
  private final ConfigOption<String> imageOption;
  private final Map<String, String> standaloneMasterConf;

  SparkLine(
      SparkVersion version,
      String sparkRelease,
      String scalaVersion,
      ConfigOption<String> imageOption,
      Map<String, String> standaloneMasterConf) {
    this.version = version;
    this.sparkRelease = sparkRelease;
    this.scalaVersion = scalaVersion;
    this.imageOption = imageOption;
    this.standaloneMasterConf = standaloneMasterConf;
  }

  public static SparkLine of(SparkVersion version) {
    for (SparkLine line : values()) {
      if (line.version == version) {
        return line;
      }
    }
    throw new IllegalArgumentException("no Spark line " + version);
  }

  /** The line as spec.sparkVersion names it, e.g. "4.2". */
  public SparkVersion version() {
    return version;
  }

  /** The Spark release of the line's images, e.g. "4.2.0". */
  public String sparkRelease() {
    return sparkRelease;
  }

  /**
   * The Scala version Spark is built with: standalone workers need it as SPARK_SCALA_VERSION to
   * build executor commands ("Cannot find any build directories" without it).
   */
  public String scalaVersion() {
    return scalaVersion;
  }

  /** The operator setting holding the line's default image. */
  public ConfigOption<String> imageOption() {
    return imageOption;
  }

  /**
   * Keys of a standalone master's spark-defaults.conf whose Spark default differs from what the
   * cluster needs on this line; the operator owns them.
   */
  public Map<String, String> standaloneMasterConf() {
    return standaloneMasterConf;
  }
}
