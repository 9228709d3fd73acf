package io.rspark.operator.api;

/** Regular expressions of the schema, in one place so the validator and tests share them. */
public final class Patterns {
  /**
   * An image reference as the distribution/reference grammar has it:
   * [domain[:port]/]component(/component)*[:tag][@sha256:digest]. Domain labels are alphanumeric
   * with inner dashes (punycode "xn--" too); path components are lowercase alphanumeric runs joined
   * by ".", "_", "__" or any number of "-".
   */
  public static final String IMAGE =
      "^([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
          + "(:[0-9]{1,5})?/)?"
          + "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*"
          + "(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$";

  /** RFC 1123 subdomain: names of Secrets, PriorityClasses. */
  public static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A non-negative CPU quantity: whole or decimal cores, or millicores. */
  public static final String CPU_QUANTITY = "^([0-9]+(\\.[0-9]{1,3})?|[0-9]+m)$";

  /** A positive memory quantity with a binary or decimal suffix, or plain bytes. */
  public static final String MEMORY_QUANTITY = "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$";

  /** An R package name as CRAN allows it: letters, digits and '.', starting with a letter. */
  public static final String R_PACKAGE = "^[A-Za-z][A-Za-z0-9.]*[A-Za-z0-9]$";

  /** An http(s) URL without white space. */
  public static final String HTTP_URL = "^https?://[^\\s]+$";

  /** A duration of whole seconds, minutes and hours, in that order: "90s", "10m", "1h30m". */
  public static final String DURATION = "^([0-9]+h)?([0-9]+m)?([0-9]+s)?$";

  /** A Spark time string of whole seconds, minutes or hours: "60s", "5m", "1h". */
  public static final String SPARK_TIME = "^[1-9][0-9]{0,5}(s|m|h)$";

  private Patterns() {}
}
