package io.rspark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code kubectl rspark} with the real {@code kubectl port-forward} and {@code kubectl exec}
 * against a real cluster: the UI answers through the forwarded port, and the SparkR backend in the
 * driver accepts the secret the plugin printed, through the forwarded port.
 */
@ExtendWith(E2eEnvironment.class)
class KubectlRsparkE2E {
  private static final String CLUSTER = "laptop";
  private static final Pattern SPARKR_LINE =
      Pattern.compile(
          "Sys\\.setenv\\(EXISTING_SPARKR_BACKEND_PORT = \"(\\d+)\","
              + " SPARKR_BACKEND_AUTH_SECRET = \"([^\"]+)\"\\)");

  private static String namespace;
  private static OperatorInstall operator;

  @BeforeAll
  static void install() throws Exception {
    namespace = "rspark-e2e-plugin-" + UUID.randomUUID().toString().substring(0, 6);
    Kubectl.run("create", "namespace", namespace);
    operator = OperatorInstall.install(namespace);
    Kubectl.apply(
        """
        apiVersion: rspark.io/v1alpha1
        kind: RSparkCluster
        metadata: {name: %s, namespace: %s}
        spec:
          image: %s
          driver: {resources: {cpu: "1", memory: 2Gi}}
          workers: {replicas: 0}
        """
            .formatted(CLUSTER, namespace, E2eEnvironment.executorImage()));
  }

  @AfterAll
  static void uninstall() throws Exception {
    if (operator != null) {
      operator.close();
    }
    if (namespace != null) {
      Kubectl.tryExec(
          List.of("kubectl", "delete", "namespace", namespace, "--wait=false"),
          null,
          Duration.ofMinutes(1));
    }
  }

  private static Process plugin(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(E2eEnvironment.repo().resolve("kubectl-rspark/kubectl-rspark").toString());
    command.addAll(List.of("-n", namespace));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  @Test
  void attachForwardsSparkRAndTheUiThroughRealPortForwards() throws Exception {
    Process attach =
        plugin(
            "attach", CLUSTER, "--print", "--timeout", E2eEnvironment.timeout().toSeconds() + "");
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(attach.getInputStream(), StandardCharsets.UTF_8))) {
      String first = out.readLine();
      assertThat(first).isNotNull();
      Matcher m = SPARKR_LINE.matcher(first);
      assertThat(m.matches()).as(first).isTrue();
      assertThat(out.readLine()).isEqualTo("library(SparkR)");
      assertThat(out.readLine()).isEqualTo("sparkR.session()");
      assertThat(sparkRHandshake(Integer.parseInt(m.group(1)), m.group(2))).isEqualTo("ok");
    } finally {
      attach.destroy();
      attach.waitFor();
    }

    Process ui = plugin("ui", CLUSTER);
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(ui.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      assertThat(line).isNotNull().contains("http://127.0.0.1:");
      String url = line.substring(line.indexOf("http://"));
      HttpResponse<String> page =
          HttpClient.newBuilder()
              .followRedirects(HttpClient.Redirect.NORMAL)
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("Spark");
    } finally {
      ui.destroy();
      ui.waitFor();
    }
  }

  /**
   * SparkR's authentication exchange (Spark's RAuthHelper: a string as a 4-byte length with a
   * trailing NUL), which is what {@code sparkR.session()} does first: "ok" means the forward
   * reaches the backend and the printed secret is the backend's.
   */
  private static String sparkRHandshake(int port, String secret) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(30_000);
      DataOutputStream dout = new DataOutputStream(s.getOutputStream());
      byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
      dout.writeInt(bytes.length + 1);
      dout.write(bytes);
      dout.write(0);
      dout.flush();
      DataInputStream din = new DataInputStream(s.getInputStream());
      int length = din.readInt();
      byte[] reply = din.readNBytes(length);
      return new String(reply, StandardCharsets.UTF_8).replace("\0", "");
    }
  }
}
