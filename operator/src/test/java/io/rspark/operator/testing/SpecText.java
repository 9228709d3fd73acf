package io.rspark.operator.testing;

import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Pieces of RSparkCluster specs as YAML flow text, for tables of malformed specs. */
public final class SpecText {
  private SpecText() {}

  /** A map of {@code n} entries, {@code {<prefix>0: v, <prefix>1: v, ...}}. */
  public static String manyKeys(String prefix, int n) {
    return join(n, i -> prefix + i + ": v", "{", "}");
  }

  /** A list of {@code n} object references, {@code [{name: s0}, {name: s1}, ...]}. */
  public static String manyNames(int n) {
    return join(n, i -> "{name: s" + i + "}", "[", "]");
  }

  /** A list of {@code n} R package names, {@code [p0, p1, ...]}. */
  public static String manyPackages(int n) {
    return join(n, i -> "p" + i, "[", "]");
  }

  /** A list of {@code n} environment variables, {@code [{name: E0, value: v}, ...]}. */
  public static String manyEnv(int n) {
    return join(n, i -> "{name: E" + i + ", value: v}", "[", "]");
  }

  private static String join(int n, IntFunction<String> item, String open, String close) {
    return IntStream.range(0, n).mapToObj(item).collect(Collectors.joining(", ", open, close));
  }
}
