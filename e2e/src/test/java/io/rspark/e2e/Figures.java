package io.rspark.e2e;

import java.time.Duration;
import java.util.Locale;

/**
 * The measurements docs/benchmarks.md quotes, printed as {@code [rspark-e2e] figure: NAME = VALUE}
 * lines so that a run's log is its record (`grep 'figure:'`).
 */
final class Figures {
  private Figures() {}

  static void seconds(String name, Duration took) {
    print(name, String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0));
  }

  static void print(String name, String value) {
    System.out.println("[rspark-e2e] figure: " + name + " = " + value);
  }
}
