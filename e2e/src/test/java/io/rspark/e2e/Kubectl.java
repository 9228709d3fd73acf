package io.rspark.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** kubectl (and helm) against the e2e cluster; a non-zero exit is an error with the output. */
final class Kubectl {
  private Kubectl() {}

  /** Runs {@code kubectl args...}, feeding {@code stdin} if not null; returns stdout+stderr. */
  static String run(String stdin, Duration timeout, String... args) {
    List<String> command = new ArrayList<>();
    command.add("kubectl");
    command.addAll(List.of(args));
    return exec(command, stdin, timeout);
  }

  static String run(String... args) {
    return run(null, Duration.ofMinutes(2), args);
  }

  static String apply(String yaml) {
    return run(yaml, Duration.ofMinutes(2), "apply", "-f", "-");
  }

  static String exec(List<String> command, String stdin, Duration timeout) {
    Result r = tryExec(command, stdin, timeout);
    if (r.exit() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " exited " + r.exit() + ":\n" + r.output());
    }
    return r.output();
  }

  record Result(int exit, String output) {}

  static Result tryExec(List<String> command, String stdin, Duration timeout) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      String kubeconfig = E2eEnvironment.kubeconfig();
      if (kubeconfig != null) {
        builder.environment().put("KUBECONFIG", kubeconfig);
      }
      Process p = builder.start();
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      // Read while waiting so that a chatty command cannot block on a full pipe.
      var out = new java.io.ByteArrayOutputStream();
      Thread reader =
          new Thread(
              () -> {
                try {
                  p.getInputStream().transferTo(out);
                } catch (IOException ignored) {
                  // the process ended; what was read is what there is
                }
              });
      reader.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        reader.join(5000);
        throw new IllegalStateException(
            String.join(" ", command) + " did not end within " + timeout + ":\n" + out);
      }
      reader.join(5000);
      return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
