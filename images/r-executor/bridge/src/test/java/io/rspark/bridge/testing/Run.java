package io.rspark.bridge.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion and keeps its exit status and combined output. */
public record Run(int status, String output, long millis) {
  public static Run of(Path workDir, Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    return of(workDir, env, List.of(command));
  }

  public static Run of(Path workDir, Map<String, String> env, List<String> command)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
    pb.redirectErrorStream(true);
    pb.environment().putAll(env);
    long t0 = System.nanoTime();
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Run(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        (System.nanoTime() - t0) / 1_000_000);
  }
}
