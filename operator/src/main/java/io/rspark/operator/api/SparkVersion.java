package io.rspark.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The Spark line of a cluster, "MAJOR.MINOR" as spec.sparkVersion writes it. The patch release,
 * Scala version and default image of each line are the operator's ({@code spark.SparkLine}).
 */
public enum SparkVersion {
  /** Spark 3.5, the long-term-support line (Scala 2.12). */
  @JsonProperty("3.5")
  V3_5("3.5"),
  /** Spark 4.2 (Scala 2.13). */
  @JsonProperty("4.2")
  V4_2("4.2");

  /** What {@code kubectl explain rsparkcluster.spec.sparkVersion} says. */
  static final String DESCRIPTION =
      "The Spark line of the cluster, MAJOR.MINOR, quoted in YAML (\"4.2\", not 4.2, which is a"
          + " number): '3.5' runs Spark 3.5.6 with Scala 2.12, the long-term-support line"
          + " (security fixes until November 2027); '4.2' runs Spark 4.2.0 with Scala 2.13, where"
          + " SparkR is deprecated (since Spark 4.0; still shipped, it warns when a session"
          + " starts) and sparklyr needs a release that supports Spark 4. Unset: the operator's"
          + " default line (setting rspark.default-spark-version, '3.5' unless changed);"
          + " status.sparkVersion shows the line in use. Required when spec.image is set: the"
          + " line of that image. Changing it replaces every pod of the cluster (running R"
          + " sessions and Spark jobs end). See docs/spark-versions.md.";

  private final String value;

  SparkVersion(String value) {
    this.value = value;
  }

  /** The value as written in the spec, e.g. "3.5". */
  public String value() {
    return value;
  }
}
