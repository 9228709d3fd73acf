package io.rspark.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kubectl rspark attach CLUSTER --print} as a user runs it from a laptop: the plugin checks
 * RBAC, reads the SparkR secret, forwards a local port to the driver and prints the R lines; the
 * forward lasts until this is closed. The printed port and secret are what R would use.
 */
final class Attach implements AutoCloseable {
  static final Pattern SPARKR_LINE =
      Pattern.compile(
          "Sys\\.setenv\\(EXISTING_SPARKR_BACKEND_PORT = \"(\\d+)\","
              + " SPARKR_BACKEND_AUTH_SECRET = \"([^\"]+)\"\\)");

  final Process process;
  final List<String> printed = new ArrayList<>();
  final int port;
  final String secret;

  private Attach(Process process, int port, String secret, List<String> printed) {
    this.process = process;
    this.port = port;
    this.secret = secret;
    this.printed.addAll(printed);
  }

  static Attach sparkR(Namespace ns, String cluster) throws IOException {
    Process process = printing(ns, "attach", cluster);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    List<String> printed = new ArrayList<>();
    Matcher sparkR = null;
    String line;
    // The lines end with the one that opens the session; the forward then stays up.
    while ((line = out.readLine()) != null) {
      printed.add(line);
      Matcher m = SPARKR_LINE.matcher(line);
      if (m.matches()) {
        sparkR = m;
      }
      if (sparkR != null && line.equals("sparkR.session()")) {
        return new Attach(process, Integer.parseInt(sparkR.group(1)), sparkR.group(2), printed);
      }
    }
    process.destroy();
    throw new IOException("kubectl rspark attach --print printed no SparkR line: " + printed);
  }

  /**
   * {@code kubectl rspark COMMAND CLUSTER --print}, waiting for the cluster as long as the suite
   * waits for anything; the printed lines are on the process's standard output.
   */
  static Process printing(Namespace ns, String command, String cluster) throws IOException {
    return plugin(
        ns,
        command,
        cluster,
        "--print",
        "--timeout",
        Long.toString(E2eEnvironment.timeout().toSeconds()));
  }

  /** The plugin from this repository, with the test cluster's kubeconfig. */
  static Process plugin(Namespace ns, String... args) throws IOException {
    return plugin(ns, ProcessBuilder.Redirect.INHERIT, args);
  }

  /** As {@link #plugin(Namespace, String...)}, with its standard error sent to {@code stderr}. */
  static Process plugin(Namespace ns, ProcessBuilder.Redirect stderr, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(E2eEnvironment.repo().resolve("kubectl-rspark/kubectl-rspark").toString());
    command.addAll(List.of("-n", ns.name));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr);
    builder.environment().put("KUBECONFIG", E2eEnvironment.kubeconfig());
    return builder.start();
  }

  SparkRWire session() throws IOException {
    return SparkRWire.connect(port, secret);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
