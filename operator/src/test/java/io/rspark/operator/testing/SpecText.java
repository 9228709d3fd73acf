package io.rspark.operator.testing;

/** Pieces of RSparkCluster specs as YAML flow text, for tables of malformed specs. */
public final class SpecText {
  private SpecText() {}

  /** A map of {@code n} entries, {@code {k0: v, k1: v, ...}}. */
  public static String manyKeys(int n) {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < n; i++) {
      out.append(i == 0 ? "" : ", ").append("k").append(i).append(": v");
    }
    return out.append("}").toString();
  }

  /** A list of {@code n} object references, {@code [{name: s0}, {name: s1}, ...]}. */
  public static String manyNames(int n) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      out.append(i == 0 ? "" : ", ").append("{name: s").append(i).append("}");
    }
    return out.append("]").toString();
  }
}
