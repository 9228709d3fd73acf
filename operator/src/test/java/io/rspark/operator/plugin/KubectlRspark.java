package io.rspark.operator.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.rspark.operator.testing.RepoPaths;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real {@code kubectl-rspark} script (with the real kubectl) as a child process, with the
 * calls that need a kubelet (port-forward, exec) answered by {@code fake-pod-io}.
 */
final class KubectlRspark {
  static final Path SCRIPT = RepoPaths.root().resolve("kubectl-rspark/kubectl-rspark");
  static final Path FAKES = RepoPaths.root().resolve("operator/src/test/resources/kubectl-rspark");

  private final Map<String, String> env = new HashMap<>();

  KubectlRspark(Path kubeconfig, Path podIoDir) {
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("KUBECTL_RSPARK_POD_IO", FAKES.resolve("fake-pod-io").toString());
    env.put("FAKE_POD_IO_DIR", podIoDir.toString());
  }

  KubectlRspark with(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** The real kubectl for port-forward and exec too. */
  KubectlRspark withRealPodIo() {
    env.remove("KUBECTL_RSPARK_POD_IO");
    return this;
  }

  record Result(int exit, String stdout, String stderr) {}

  /** A prerequisite of the plugin, installed where CI runs: missing fails under CI=true. */
  static void requireTool(String tool) throws Exception {
    boolean present = new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
    if (!present) {
      if ("true".equals(System.getenv("CI"))) {
        fail(tool + " is missing; the kubectl-rspark tests need it");
      }
      Assumptions.abort(tool + " is not installed; CI runs this");
    }
  }

  Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    return pb.start();
  }

  Result run(String... args) throws Exception {
    Process p = start(args);
    p.getOutputStream().close();
    var out = new java.io.ByteArrayOutputStream();
    var err = new java.io.ByteArrayOutputStream();
    Thread o = drain(p.getInputStream(), out);
    Thread e = drain(p.getErrorStream(), err);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("kubectl rspark " + String.join(" ", args) + " did not end: " + err);
    }
    o.join(5000);
    e.join(5000);
    return new Result(
        p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Reads {@code count} stdout lines of a running process (which keeps running). */
  static List<String> readLines(Process p, int count, Duration timeout) throws Exception {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    Thread t =
        new Thread(
            () -> {
              try {
                String line;
                while (lines.size() < count && (line = reader.readLine()) != null) {
                  synchronized (lines) {
                    lines.add(line);
                  }
                }
              } catch (IOException ignored) {
                // the process ended; the assertion below reports what arrived
              }
            });
    t.start();
    t.join(timeout.toMillis());
    synchronized (lines) {
      assertThat(lines)
          .as("stdout; stderr so far: %s", p.isAlive() ? "(running)" : stderrOf(p))
          .hasSize(count);
      return List.copyOf(lines);
    }
  }

  static String stderrOf(Process p) {
    try {
      return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** Whether the fake forward recorded in {@code dir} still runs. */
  static boolean forwardAlive(Path dir) throws IOException {
    long pid = Long.parseLong(Files.readString(dir.resolve("forward.pid")).trim());
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Parses {@code code} with the real R parser; returns Rscript's exit and output. */
  static Result parseAsR(String code, Path dir) throws Exception {
    Path file = Files.createTempFile(dir, "lines", ".R");
    Files.writeString(file, code, StandardCharsets.UTF_8);
    Process p =
        new ProcessBuilder(
                "Rscript",
                "-e",
                "e <- parse(file = commandArgs(TRUE)[1]); cat(length(e), 'expressions\\n')",
                file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out, "");
  }

  private static Thread drain(java.io.InputStream in, java.io.OutputStream out) {
    Thread t =
        new Thread(
            () -> {
              try {
                in.transferTo(out);
              } catch (IOException ignored) {
                // the process ended; what was read is what there is
              }
            });
    t.start();
    return t;
  }
}
