package io.rspark.operator.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the kits' shell scripts (../shared/k8s, ../shared/crdkit) for the test fixtures. */
final class KitScripts {
  private KitScripts() {}

  /** {@code bash command...}, its output discarded; fails unless it ends with 0 within timeout. */
  static void bash(Duration timeout, String... command) {
    List<String> all = new ArrayList<>();
    all.add("bash");
    all.addAll(List.of(command));
    try {
      Process p =
          new ProcessBuilder(all)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("Failed: " + String.join(" ", command));
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
