package io.rspark.operator.scripts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.rspark.operator.testing.RepoPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every shell script of the repository is strict ({@code set -euo pipefail}) and shellcheck-clean.
 */
class ShellScriptsTest {
  static List<Path> scripts() throws IOException {
    Path root = RepoPaths.root();
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> !root.relativize(p).toString().contains("target"))
          .filter(p -> !root.relativize(p).startsWith(".git"))
          .filter(ShellScriptsTest::isBash)
          .sorted()
          .toList();
    }
  }

  private static boolean isBash(Path file) {
    if (file.toString().endsWith(".sh")) {
      return true;
    }
    try {
      byte[] head = new byte[64];
      int n;
      try (var in = Files.newInputStream(file)) {
        n = in.read(head);
      }
      return n > 2
          && new String(head, 0, n, StandardCharsets.ISO_8859_1).startsWith("#!/usr/bin/env bash");
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void scriptsAreFound() throws IOException {
    assertThat(scripts()).extracting(p -> p.getFileName().toString()).contains("run");
  }

  @Test
  void everyScriptIsStrict() throws IOException {
    for (Path script : scripts()) {
      assertThat(Files.readString(script)).as(script.toString()).contains("set -euo pipefail");
    }
  }

  @Test
  void everyScriptIsShellcheckClean() throws Exception {
    boolean available =
        new ProcessBuilder("sh", "-c", "command -v shellcheck").start().waitFor() == 0;
    if (!available) {
      if ("true".equals(System.getenv("CI"))) {
        fail("shellcheck is missing; .ci/run installs it");
      }
      Assumptions.abort("shellcheck is not installed (apt-get install shellcheck); CI runs this");
    }
    for (Path script : scripts()) {
      Process p =
          new ProcessBuilder("shellcheck", "-x", script.toString())
              .directory(script.getParent().toFile())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("shellcheck %s:%n%s", script, out).isZero();
    }
  }
}
