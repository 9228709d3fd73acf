package io.rspark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code kubectl rspark} with the real {@code kubectl port-forward} and {@code kubectl exec}
 * against real pods: {@code list} shows the cluster, {@code attach --print} prints lines whose port
 * and secret reach the real bridge (SparkR's handshake answers ok, a wrong secret is refused),
 * {@code connect --print} prints a Spark Connect URL where Spark's own client runs a query in the
 * application SparkR uses (and a wrong token is refused), and {@code ui} prints a URL where the
 * Spark UI answers; {@code attach --sparklyr} asks the bridge whether it can take a session.
 */
@ExtendWith({E2eEnvironment.class, E2eRun.class})
class KubectlRsparkE2E {
  private static final String CLUSTER = "laptop";

  private static Namespace ns;

  @BeforeAll
  static void cluster() {
    ns = E2eRun.current().ns;
    Kubectl.apply(ClustersE2E.cluster(CLUSTER, 0, "connect: {enabled: true}"));
    ns.awaitReady(CLUSTER);
  }

  @AfterAll
  static void removeCluster() {
    if (ns != null) {
      ns.deleteClusters(CLUSTER);
    }
  }

  @Test
  void listShowsTheRunningCluster() throws Exception {
    Process list = Attach.plugin(ns, "list");
    String out = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(list.waitFor()).isZero();
    assertThat(out.lines().filter(l -> l.startsWith(CLUSTER + " ")).findFirst())
        .hasValueSatisfying(line -> assertThat(line).contains("Running").contains("local[*]"));
  }

  @Test
  void attachPrintsLinesThatReachTheBridge() throws Exception {
    try (Attach attach = Attach.sparkR(ns, CLUSTER)) {
      assertThat(attach.printed).anyMatch(l -> l.contains("sparkR.session()"));
      try (SparkRWire wire = attach.session()) {
        assertThat(wire.firstValue("SELECT 6 * 7")).isEqualTo("42");
      }
      try (SparkRWire refused =
          SparkRWire.connect(attach.port, "f".repeat(attach.secret.length()))) {
        throw new AssertionError("a wrong secret was accepted");
      } catch (java.io.IOException expected) {
        assertThat(expected).hasMessageNotContaining(attach.secret);
      }
    }
  }

  /**
   * The plugin asks the real bridge, through a real port-forward, whether it can take a sparklyr
   * session: an image without sparklyr (CI's, built offline) is refused with exit code 7 before
   * anything else is forwarded; an image with it gets the R lines.
   */
  @Test
  void attachSparklyrSaysWhetherTheClusterCanTakeASession() throws Exception {
    boolean imageHasSparklyr =
        ns.exec(
                CLUSTER + "-driver",
                "Rscript",
                "-e",
                "cat(requireNamespace('sparklyr', quietly = TRUE))")
            .trim()
            .endsWith("TRUE");
    Process attach =
        Attach.plugin(ns, ProcessBuilder.Redirect.PIPE, "attach", CLUSTER, "--sparklyr", "--print");
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(attach.getInputStream(), StandardCharsets.UTF_8))) {
      if (imageHasSparklyr) {
        String lines = out.readLine() + out.readLine() + out.readLine();
        assertThat(lines).contains("sc <- spark_connect(master = \"sparklyr://127.0.0.1:8880/1\"");
      } else {
        assertThat(attach.waitFor(60, TimeUnit.SECONDS)).as("the plugin ended").isTrue();
        String stderr = new String(attach.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(attach.exitValue()).as(stderr).isEqualTo(7);
        assertThat(stderr)
            .contains("RSparkCluster \"" + CLUSTER + "\" serves no sparklyr")
            .contains("attach --sparkr");
        assertThat(out.readLine()).as("no R lines").isNull();
      }
    } finally {
      attach.destroy();
      attach.waitFor();
    }
  }

  @Test
  void connectPrintsAUrlWhereSparkConnectRunsInTheApplicationSparkRUses() throws Exception {
    String sparkRApplication;
    try (Attach attach = Attach.sparkR(ns, CLUSTER);
        SparkRWire r = attach.session()) {
      sparkRApplication = r.applicationId();
    }
    try (ConnectQuery.Forward connect = ConnectQuery.Forward.open(ns, CLUSTER)) {
      String url = connect.url();
      assertThat(url).startsWith("sc://127.0.0.1:").contains(";authorization=Bearer");
      ConnectQuery.Result result = ConnectQuery.run(url, "SELECT sum(id) FROM range(1000)");
      assertThat(result.output())
          .as(() -> ConnectQuery.driverLog(ns, CLUSTER))
          .contains("value 499500", "application " + sparkRApplication);
      assertThat(result.exitCode()).isZero();

      String wrongToken = url.replaceAll("Bearer%20[^;]*", "Bearer%20" + "0".repeat(64));
      ConnectQuery.Result refused = ConnectQuery.run(wrongToken, "SELECT 1");
      assertThat(refused.exitCode()).as(refused.output()).isEqualTo(2);
      assertThat(refused.output()).contains("UNAUTHENTICATED").doesNotContain("value");
      Figures.seconds(
          "Spark Connect: client JVM start to query result through kubectl rspark connect",
          result.seconds());
    }
  }

  @Test
  void uiPrintsAUrlWhereTheSparkUiAnswers() throws Exception {
    Process ui = Attach.plugin(ns, "ui", CLUSTER);
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(ui.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      assertThat(line).isNotNull().contains("http://127.0.0.1:");
      String url = line.substring(line.indexOf("http://")).trim();
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
}
