package io.rspark.operator.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.rspark.operator.api.ClusterPhase;
import io.rspark.operator.api.ConnectSpec;
import io.rspark.operator.api.Endpoints;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.api.RSparkClusterStatus;
import io.rspark.operator.api.WorkersStatus;
import io.rspark.operator.plugin.KubectlRspark.Result;
import io.rspark.operator.testing.KubeApiKit;
import io.rspark.operator.testing.RepoPaths;
import io.rspark.operator.testing.TestClusters;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl rspark} against the real apiserver of the kit, as an admin and as an analyst
 * without access to the cluster's Secret. Clusters and their status are written directly (no
 * operator); port-forward and exec, which need a kubelet, go to {@code fake-pod-io}, which answers
 * forwards with listeners this test opens.
 */
class KubectlRsparkIT {
  private static final String SECRET = "c2VjcmV0LWZvci10ZXN0cw==";

  private static KubeApiKit kit;
  private static KubernetesClient admin;
  private static String namespace;
  private static final List<String> namespaces = new ArrayList<>();

  @TempDir Path dir;
  private ServerSocket sparkR;
  private ServerSocket appUi;
  private ServerSocket connect;

  /** The bridge's health port: {@code GET /activity} answers {@link #activity}. */
  private HttpServer bridgeHealth;

  private volatile String activity;

  @BeforeAll
  static void startKit() throws Exception {
    KubectlRspark.requireTool("kubectl");
    KubectlRspark.requireTool("Rscript");
    kit = KubeApiKit.get();
    admin = kit.newClient();
    namespace = ownNamespace("rspark-plugin");
  }

  @AfterAll
  static void close() {
    if (admin != null) {
      namespaces.forEach(ns -> admin.namespaces().withName(ns).delete());
      admin.close();
    }
  }

  @BeforeEach
  void openListeners() throws Exception {
    sparkR = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    appUi = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    connect = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    activity =
        "{\"attachedRSessions\":0,\"sparklyrGateway\":true,\"sparklyrFreeSessionPorts\":8,"
            + "\"activeJobs\":0,\"pendingTasks\":0}";
    bridgeHealth = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    bridgeHealth.createContext(
        "/activity",
        exchange -> {
          byte[] body = activity.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    bridgeHealth.start();
  }

  @AfterEach
  void closeListeners() throws Exception {
    sparkR.close();
    appUi.close();
    connect.close();
    bridgeHealth.stop(0);
  }

  private static String ownNamespace(String prefix) {
    String ns = kit.newNamespace(admin, prefix);
    namespaces.add(ns);
    return ns;
  }

  private KubectlRspark plugin(Path kubeconfig) {
    return new KubectlRspark(kubeconfig, dir)
        .with("FAKE_FORWARD_8890", Integer.toString(sparkR.getLocalPort()))
        .with("FAKE_FORWARD_4040", Integer.toString(appUi.getLocalPort()))
        .with("FAKE_FORWARD_15002", Integer.toString(connect.getLocalPort()))
        .with("FAKE_FORWARD_8899", Integer.toString(bridgeHealth.getAddress().getPort()))
        .with("FAKE_SPARKR_SECRET", SECRET);
  }

  private KubectlRspark asAdmin() {
    return plugin(kit.kubeconfig());
  }

  @Test
  void listShowsPhaseReadinessWorkersIdleAndMaster() throws Exception {
    String ns = ownNamespace("rspark-list");
    create(ns, "alpha", 2);
    writeStatus(ns, "alpha", ClusterPhase.Running, "True", "ClusterReady", "", new int[] {2, 2, 2});
    create(ns, "beta", 3);

    Result r = asAdmin().run("-n", ns, "list");

    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(r.stdout().lines().map(l -> l.replaceAll(" +", " ").trim()).toList())
        .containsExactly(
            "NAME PHASE READY WORKERS IDLE MASTER",
            "alpha Running True/ClusterReady 2/2 - spark://alpha-driver." + ns + ".svc:7077",
            "beta - Unknown 0/0 - -");
  }

  @Test
  void listShowsIdleTimeAndSuspension() throws Exception {
    String ns = ownNamespace("rspark-idle");
    create(ns, "sleepy", 1);
    writeStatus(
        ns, "sleepy", ClusterPhase.Running, "True", "ClusterReady", "", new int[] {1, 1, 1});
    patchStatus(
        ns,
        "sleepy",
        "{\"status\":{\"lastActivityTime\":\""
            + Instant.now().minus(Duration.ofMinutes(90)).truncatedTo(ChronoUnit.SECONDS)
            + "\"}}");
    cluster(ns, "sleepy")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":true}}");

    Result r = asAdmin().run("-n", ns, "list");

    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(r.stdout().lines().skip(1).map(l -> l.replaceAll(" +", " ").trim()).toList())
        .containsExactly(
            "sleepy Running(suspended) True/ClusterReady 1/1 90m spark://sleepy-driver."
                + ns
                + ".svc:7077");
  }

  @Test
  void aSuspendedClusterIsResumedOnlyWhenAsked() throws Exception {
    create(namespace, "idle", 1);
    writeStatus(
        namespace, "idle", ClusterPhase.Pending, "False", "Suspended", "", new int[] {1, 0, 0});
    cluster(namespace, "idle")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":true}}");

    Result refused = asAdmin().run("-n", namespace, "attach", "idle", "--print");
    assertThat(refused.exit()).isEqualTo(5);
    assertThat(refused.stderr())
        .isEqualTo(
            "error: RSparkCluster \"idle\" is suspended (spec.suspend: true, for example stopped"
                + " when idle); run again with --resume to start it\n");
    assertThat(suspend("idle")).isEqualTo(true);

    Process p =
        asAdmin()
            .start("-n", namespace, "attach", "idle", "--print", "--resume", "--timeout", "30");
    // Play the operator: once resumed, the cluster becomes Ready.
    await().atMost(Duration.ofSeconds(20)).until(() -> Boolean.FALSE.equals(suspend("idle")));
    writeStatus(
        namespace, "idle", ClusterPhase.Running, "True", "ClusterReady", "", new int[] {1, 1, 1});
    List<String> lines = KubectlRspark.readLines(p, 4, Duration.ofSeconds(30));
    assertThat(lines.get(0)).contains("EXISTING_SPARKR_BACKEND_PORT = \"" + sparkR.getLocalPort());
    p.destroy();
    p.waitFor();
  }

  private static Object suspend(String name) {
    Map<String, Object> spec = cluster(namespace, name).get().get("spec");
    return spec.get("suspend");
  }

  private static Resource<GenericKubernetesResource> cluster(String ns, String name) {
    return admin
        .genericKubernetesResources("rspark.io/v1alpha1", "RSparkCluster")
        .inNamespace(ns)
        .withName(name);
  }

  private static void patchStatus(String ns, String name, String mergePatch) {
    cluster(ns, name)
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
  }

  @Test
  void listOfAnEmptyNamespaceSaysSo() throws Exception {
    String ns = ownNamespace("rspark-empty");
    Result r = asAdmin().run("-n", ns, "list");
    assertThat(r.exit()).isZero();
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr()).isEqualTo("No RSparkClusters in namespace " + ns + ".\n");
  }

  @Test
  void attachPrintGivesSparkRLinesForTheForwardedPortAndClosesTheForwardOnInterrupt()
      throws Exception {
    readyCluster("printed");
    Process p = asAdmin().start("-n", namespace, "attach", "printed", "--print");

    List<String> lines = KubectlRspark.readLines(p, 4, Duration.ofSeconds(30));

    int port = sparkR.getLocalPort();
    assertThat(lines)
        .containsExactly(
            "Sys.setenv(EXISTING_SPARKR_BACKEND_PORT = \""
                + port
                + "\", SPARKR_BACKEND_AUTH_SECRET = \""
                + SECRET
                + "\")",
            "if (!dir.exists(Sys.getenv(\"SPARK_HOME\"))) Sys.setenv(SPARK_HOME = tempdir())",
            "library(SparkR)",
            "sparkR.session()");
    assertThat(Files.readString(dir.resolve("calls")))
        .contains("exec printed-driver -c spark -- cat /opt/rspark/run/conf/sparkr-backend-secret")
        .contains("port-forward --address 127.0.0.1 pod/printed-driver :8890");
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      assertThat(s.isConnected()).isTrue();
    }
    assertThat(KubectlRspark.forwardAlive(dir)).isTrue();
    Result parsed = KubectlRspark.parseAsR(String.join("\n", lines), dir);
    assertThat(parsed.exit()).as(parsed.stdout()).isZero();
    assertThat(parsed.stdout()).contains("4 expressions");

    p.destroy();
    assertThat(p.waitFor()).isEqualTo(143);
    await().atMost(Duration.ofSeconds(10)).until(() -> !KubectlRspark.forwardAlive(dir));
  }

  @Test
  void attachStartsRWithSparkRAsADefaultPackageAndClosesTheForwardWhenRExits() throws Exception {
    readyCluster("interactive");
    Result r =
        asAdmin()
            .with("KUBECTL_RSPARK_R", KubectlRspark.FAKES.resolve("fake-r").toString())
            .run("-n", namespace, "attach", "interactive", "--sparkr");

    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(Files.readString(dir.resolve("port.state")).trim()).isEqualTo("reachable");
    String profile = Files.readString(dir.resolve("profile.R"));
    // AttachProfileTest runs this profile in an interactive R.
    assertThat(profile)
        .contains(
            "EXISTING_SPARKR_BACKEND_PORT = \"" + sparkR.getLocalPort() + "\"",
            "options(defaultPackages = c(getOption(\"defaultPackages\"), \"SparkR\"))",
            ".First <- local({",
            "assign(\"spark\", SparkR::sparkR.session(), envir = globalenv())")
        .doesNotContain("library(SparkR)");
    assertThat(KubectlRspark.parseAsR(profile, dir).exit()).isZero();
    assertThat(Path.of(Files.readString(dir.resolve("profile.path")).trim()))
        .as("the profile with the secret is removed")
        .doesNotExist();
    assertThat(KubectlRspark.forwardAlive(dir)).isFalse();
  }

  @Test
  void sparklyrForwardsTheGatewayAndSessionPortsWithTheirOwnNumbersAndPrintsValidR()
      throws Exception {
    readyCluster("lyr");
    cluster(namespace, "lyr")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"r\":{\"sparklyrSessions\":2}}}");
    Process p = asAdmin().start("-n", namespace, "attach", "lyr", "--sparklyr", "--print");

    List<String> lines = KubectlRspark.readLines(p, 3, Duration.ofSeconds(30));

    assertThat(lines)
        .containsExactly(
            "options(sparklyr.connect.enablehivesupport = FALSE, sparklyr.apply.packages = FALSE)",
            "library(sparklyr)",
            "sc <- spark_connect(master = \"sparklyr://127.0.0.1:8880/1\", method = \"gateway\")");
    assertThat(Files.readAllLines(dir.resolve("calls")))
        .as("no exec: sparklyr needs no secret; the bridge is asked for a free session port first")
        .containsExactly(
            "port-forward --address 127.0.0.1 pod/lyr-driver :8899",
            "port-forward --address 127.0.0.1 pod/lyr-driver 8880:8880 8881:8881 8882:8882");
    Result parsed = KubectlRspark.parseAsR(String.join("\n", lines), dir);
    assertThat(parsed.exit()).as(parsed.stdout()).isZero();
    assertThat(parsed.stdout()).contains("3 expressions");
    assertThat(KubectlRspark.forwardAlive(dir)).isTrue();

    p.destroy();
    assertThat(p.waitFor()).isEqualTo(143);
    await().atMost(Duration.ofSeconds(10)).until(() -> !KubectlRspark.forwardAlive(dir));
  }

  @Test
  void sparklyrSaysWhichLocalPortIsTakenBeforeForwarding() throws Exception {
    readyCluster("lyr-busy");
    // The cluster's default: 8 sessions, ports 8880-8888.
    try (ServerSocket busy = new ServerSocket(8884, 1, InetAddress.getLoopbackAddress())) {
      Result r = asAdmin().run("-n", namespace, "attach", "lyr-busy", "--sparklyr", "--print");

      assertThat(r.exit()).as(r.stderr()).isEqualTo(6);
      assertThat(r.stderr())
          .startsWith(
              "error: local port 8884 is in use: sparklyr needs ports 8880-8888 on 127.0.0.1");
      assertThat(dir.resolve("calls")).as("no forward").doesNotExist();
    }
  }

  @Test
  void sparklyrSaysWhenEverySessionPortOfTheClusterIsTaken() throws Exception {
    readyCluster("lyr-full");
    activity =
        "{\"attachedRSessions\":8,\"sparklyrGateway\":true,\"sparklyrFreeSessionPorts\":0,"
            + "\"activeJobs\":0}";

    Result r = asAdmin().run("-n", namespace, "attach", "lyr-full", "--sparklyr", "--print");

    assertThat(r.exit()).as(r.stderr()).isEqualTo(8);
    assertThat(r.stderr())
        .startsWith(
            "error: all 8 sparklyr session ports of RSparkCluster \"lyr-full\" (8881-8888) are"
                + " taken by attached sparklyr sessions")
        .contains("raise spec.r.sparklyrSessions");
    assertThat(r.stdout()).as("no R lines").isEmpty();
    assertThat(Files.readAllLines(dir.resolve("calls")))
        .as("no forward of the sparklyr ports")
        .containsExactly("port-forward --address 127.0.0.1 pod/lyr-full-driver :8899");
    assertThat(KubectlRspark.forwardAlive(dir)).isFalse();
  }

  @Test
  void sparklyrSaysWhenTheClustersImageHasNoSparklyr() throws Exception {
    readyCluster("lyr-none");
    activity = "{\"attachedRSessions\":0,\"sparklyrGateway\":false,\"activeJobs\":0}";

    Result r = asAdmin().run("-n", namespace, "attach", "lyr-none", "--sparklyr", "--print");

    assertThat(r.exit()).as(r.stderr()).isEqualTo(7);
    assertThat(r.stderr())
        .startsWith(
            "error: RSparkCluster \"lyr-none\" serves no sparklyr: its image has no sparklyr R"
                + " package");
    assertThat(r.stdout()).isEmpty();
  }

  @Test
  void sparklyrAttachesWhereTheBridgeDoesNotReportSessionPorts() throws Exception {
    readyCluster("lyr-old");
    // An image from before the report, or a bridge that cannot answer: nothing to go by.
    activity = "{\"attachedRSessions\":0,\"activeJobs\":0}";

    Process p = asAdmin().start("-n", namespace, "attach", "lyr-old", "--sparklyr", "--print");

    assertThat(KubectlRspark.readLines(p, 3, Duration.ofSeconds(30)).get(2))
        .startsWith("sc <- spark_connect(");
    p.destroy();
    p.waitFor();
  }

  @Test
  void sparklyrWithoutPrintStartsRWithScConnectedAndClosesTheForwardWhenRExits() throws Exception {
    readyCluster("lyr-r");
    Result r =
        asAdmin()
            .with("KUBECTL_RSPARK_R", KubectlRspark.FAKES.resolve("fake-r").toString())
            .run("-n", namespace, "attach", "lyr-r", "--sparklyr");

    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(r.stderr()).contains("through 127.0.0.1:8880-8888 (sc)");
    // AttachProfileTest runs this profile in an interactive R.
    assertThat(Files.readString(dir.resolve("profile.R")))
        .contains(
            "options(sparklyr.connect.enablehivesupport = FALSE, sparklyr.apply.packages = FALSE)",
            "options(defaultPackages = c(getOption(\"defaultPackages\"), \"sparklyr\"))",
            "sparklyr::spark_connect(master = \"sparklyr://127.0.0.1:8880/1\", method = \"gateway\")");
    assertThat(Files.readAllLines(dir.resolve("calls")))
        .containsExactly(
            "port-forward --address 127.0.0.1 pod/lyr-r-driver :8899",
            "port-forward --address 127.0.0.1 pod/lyr-r-driver 8880:8880 8881:8881 8882:8882"
                + " 8883:8883 8884:8884 8885:8885 8886:8886 8887:8887 8888:8888");
    assertThat(KubectlRspark.forwardAlive(dir)).isFalse();
  }

  /** The cluster's Secret as the operator writes it: the token is its only key. */
  private static final String CONNECT_TOKEN = "0123456789abcdef".repeat(4);

  private void connectCluster(String name) {
    RSparkCluster c = TestClusters.cluster(name, 1);
    c.getMetadata().setNamespace(namespace);
    c.getSpec().connect = new ConnectSpec(true);
    admin.resource(c).create();
    writeStatus(
        namespace, name, ClusterPhase.Running, "True", "ClusterReady", "", new int[] {1, 1, 1});
    writeSparkAuthSecret(name);
  }

  /** The cluster's Spark authentication Secret, holding the token kubectl rspark connect reads. */
  private void writeSparkAuthSecret(String cluster) {
    admin
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(cluster + "-spark-auth")
                .endMetadata()
                .addToStringData("spark-auth-secret", CONNECT_TOKEN)
                .build())
        .createOr(r -> r.update());
  }

  @Test
  void connectPrintGivesTheUrlWithTheTokenAndClosesTheForwardOnInterrupt() throws Exception {
    connectCluster("connected");
    Process p = asAdmin().start("-n", namespace, "connect", "connected", "--print");

    List<String> lines = KubectlRspark.readLines(p, 1, Duration.ofSeconds(30));

    int port = connect.getLocalPort();
    assertThat(lines)
        .containsExactly("sc://127.0.0.1:" + port + "/;authorization=Bearer%20" + CONNECT_TOKEN);
    assertThat(Files.readString(dir.resolve("calls")))
        .isEqualTo("port-forward --address 127.0.0.1 pod/connected-driver :15002\n");
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      assertThat(s.isConnected()).isTrue();
    }
    assertThat(KubectlRspark.forwardAlive(dir)).isTrue();

    p.destroy();
    assertThat(p.waitFor()).isEqualTo(143);
    await().atMost(Duration.ofSeconds(10)).until(() -> !KubectlRspark.forwardAlive(dir));
  }

  @Test
  void connectPrintsReadyLinesForPySparkAndSparklyr() throws Exception {
    connectCluster("pasted");
    Process p = asAdmin().start("-n", namespace, "connect", "pasted");

    List<String> lines = KubectlRspark.readLines(p, 7, Duration.ofSeconds(30));

    String url =
        "sc://127.0.0.1:" + connect.getLocalPort() + "/;authorization=Bearer%20" + CONNECT_TOKEN;
    assertThat(lines)
        .containsExactly(
            "Spark Connect: " + url,
            "PySpark:",
            "  from pyspark.sql import SparkSession",
            "  spark = SparkSession.builder.remote(\"" + url + "\").getOrCreate()",
            "sparklyr (through pysparklyr):",
            "  library(sparklyr)",
            "  sc <- spark_connect(master = \"" + url + "\", method = \"spark_connect\")");
    Result parsed = KubectlRspark.parseAsR(lines.get(5).trim() + "\n" + lines.get(6).trim(), dir);
    assertThat(parsed.exit()).as(parsed.stdout()).isZero();
    p.destroy();
    assertThat(p.waitFor()).isEqualTo(143);
    await().atMost(Duration.ofSeconds(10)).until(() -> !KubectlRspark.forwardAlive(dir));
  }

  @Test
  void connectIsRefusedToAUserWhoMayNotReadTheClusterSecretBeforeAnyForward() throws Exception {
    connectCluster("sealed");

    Result r = plugin(analystKubeconfig()).run("-n", namespace, "connect", "sealed", "--print");

    assertThat(r.exit()).isEqualTo(4);
    assertThat(r.stderr())
        .startsWith(
            "error: refused: your Kubernetes user may not get secrets/sealed-spark-auth in"
                + " namespace \""
                + namespace
                + "\": the Spark Connect token is the cluster's authentication Secret.");
    assertThat(r.stdout()).isEmpty();
    assertThat(dir.resolve("calls")).as("nothing was forwarded").doesNotExist();
  }

  @Test
  void connectToAClusterWithoutSparkConnectSaysHowToTurnItOn() throws Exception {
    readyCluster("plain");

    Result r = asAdmin().run("-n", namespace, "connect", "plain", "--print");

    assertThat(r.exit()).isEqualTo(5);
    assertThat(r.stderr())
        .startsWith(
            "error: RSparkCluster \"plain\" does not serve Spark Connect (spec.connect.enabled is"
                + " not true); turn it on with: kubectl patch rsc plain");
    assertThat(dir.resolve("calls")).doesNotExist();
  }

  @Test
  void uiForwardsTheApplicationUiAndPrintsItsUrl() throws Exception {
    readyCluster("web");
    Process p = asAdmin().start("-n", namespace, "ui", "web");

    List<String> lines = KubectlRspark.readLines(p, 1, Duration.ofSeconds(30));

    assertThat(lines)
        .containsExactly(
            "Spark application UI of RSparkCluster \"web\": http://127.0.0.1:"
                + appUi.getLocalPort()
                + "/");
    p.destroy();
    p.waitFor();
    await().atMost(Duration.ofSeconds(10)).until(() -> !KubectlRspark.forwardAlive(dir));
  }

  @Test
  void aForwardThatCannotStartIsReportedWithKubectlsMessage() throws Exception {
    readyCluster("podless");
    // The real kubectl: the kit has no pods, so its port-forward fails as it would for a driver
    // pod that is gone.
    Result ui = asAdmin().withRealPodIo().run("-n", namespace, "ui", "podless");
    assertThat(ui.exit()).isEqualTo(1);
    assertThat(ui.stderr())
        .startsWith("error: port-forward to pod/podless-driver failed: ")
        .contains("\"podless-driver\" not found");

    Result attach = asAdmin().withRealPodIo().run("-n", namespace, "attach", "podless", "--print");
    assertThat(attach.exit()).isEqualTo(1);
    assertThat(attach.stderr())
        .contains("error: cannot read the SparkR backend's secret from pod/podless-driver");
    assertThat(attach.stdout()).isEmpty();
  }

  @Test
  void aForwardThatEndsByItselfIsAnError() throws Exception {
    readyCluster("vanishing");
    Result ui = asAdmin().with("FAKE_FORWARD_ENDS", "1").run("-n", namespace, "ui", "vanishing");
    assertThat(ui.exit()).isEqualTo(1);
    assertThat(ui.stdout()).contains("http://127.0.0.1:" + appUi.getLocalPort() + "/");
    assertThat(ui.stderr())
        .contains("error: the port-forward ended: ")
        .contains("lost connection to pod");
  }

  @Test
  void aNotReadyClusterReportsItsConditionReason() throws Exception {
    create(namespace, "starting", 1);
    writeStatus(
        namespace,
        "starting",
        ClusterPhase.Starting,
        "False",
        "DriverNotReady",
        "the driver pod is not ready",
        new int[] {1, 1, 0});

    Result r = asAdmin().run("-n", namespace, "attach", "starting", "--timeout", "0");

    assertThat(r.exit()).isEqualTo(5);
    assertThat(r.stderr())
        .isEqualTo(
            "error: RSparkCluster \"starting\" is not ready after 0s: Ready=False (reason"
                + " DriverNotReady): the driver pod is not ready\n");
    assertThat(dir.resolve("calls")).doesNotExist();
  }

  @Test
  void aStalledClusterFailsAtOnceWithTheStalledReason() throws Exception {
    create(namespace, "stuck", 1);
    patchStatus(
        namespace,
        "stuck",
        """
        {"status": {"phase": "Failed", "conditions": [
          {"type": "Ready", "status": "False", "reason": "ImagePullFailed",
           "message": "the image cannot be pulled", "lastTransitionTime": "2026-01-01T00:00:00Z"},
          {"type": "Stalled", "status": "True", "reason": "ImagePullFailed",
           "message": "the image cannot be pulled", "lastTransitionTime": "2026-01-01T00:00:00Z"}]}}
        """);

    // With the default --timeout of 300 s: run() allows 60 s, so waiting would fail the test.
    Result r = asAdmin().run("-n", namespace, "attach", "stuck");

    assertThat(r.exit()).isEqualTo(5);
    assertThat(r.stderr())
        .isEqualTo(
            "error: RSparkCluster \"stuck\" is not ready: Stalled (reason ImagePullFailed);"
                + " kubectl describe rsc stuck says more\n");
  }

  @Test
  void aMissingClusterIsNamedWithItsNamespace() throws Exception {
    Result r = asAdmin().run("-n", namespace, "attach", "nosuch");
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.stderr())
        .isEqualTo(
            "error: no RSparkCluster \"nosuch\" in namespace \""
                + namespace
                + "\" (kubectl rspark list shows the clusters there)\n");
  }

  @Test
  void aUserWhoMayNotReadTheClusterSecretIsRefusedBeforeTheSecretLeavesThePod() throws Exception {
    readyCluster("guarded");
    Path kubeconfig = analystKubeconfig();

    Result listed = plugin(kubeconfig).run("-n", namespace, "list");
    assertThat(listed.exit()).as(listed.stderr()).isZero();
    assertThat(listed.stdout()).contains("guarded");

    Result r = plugin(kubeconfig).run("-n", namespace, "attach", "guarded", "--print");

    assertThat(r.exit()).isEqualTo(4);
    assertThat(r.stderr())
        .startsWith(
            "error: refused: your Kubernetes user may not get secrets/guarded-spark-auth in"
                + " namespace \""
                + namespace
                + "\": the SparkR backend's secret leaves the driver pod only for users allowed"
                + " to read the cluster's authentication Secret. Ask your cluster admin");
    assertThat(r.stdout()).isEmpty();
    assertThat(dir.resolve("calls")).as("nothing was forwarded or read in the pod").doesNotExist();

    Process ui = plugin(kubeconfig).start("-n", namespace, "ui", "guarded");
    assertThat(KubectlRspark.readLines(ui, 1, Duration.ofSeconds(30)).get(0))
        .as("the UI needs no secret")
        .endsWith("http://127.0.0.1:" + appUi.getLocalPort() + "/");
    ui.destroy();
    ui.waitFor();
  }

  @Test
  void theRoleInTheUsersGuideIsEnoughForEveryCommand() throws Exception {
    String doc = Files.readString(RepoPaths.root().resolve("docs/r-users.md"));
    String section = doc.substring(doc.indexOf("### Trust model"));
    String yaml =
        section.substring(
            section.indexOf("```yaml\n") + 8,
            section.indexOf("```\n", section.indexOf("```yaml\n") + 8));
    Role role =
        Serialization.unmarshal(
            yaml.replace("namespace: data-team", "namespace: " + namespace), Role.class);
    assertThat(role.getMetadata().getName()).isEqualTo("rspark-r-user");
    admin.resource(role).createOr(r -> r.update());
    admin
        .rbac()
        .roleBindings()
        .inNamespace(namespace)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("datasci")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "rspark-r-user")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("datasci")
                .withNamespace(namespace)
                .endSubject()
                .build())
        .createOr(r -> r.update());
    readyCluster("analytics");
    cluster(namespace, "analytics")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":true}}");
    Path kubeconfig = tokenKubeconfig("datasci");

    assertThat(plugin(kubeconfig).run("-n", namespace, "list").exit()).isZero();
    Process p =
        plugin(kubeconfig)
            .start(
                "-n", namespace, "attach", "analytics", "--print", "--resume", "--timeout", "30");
    await().atMost(Duration.ofSeconds(20)).until(() -> Boolean.FALSE.equals(suspend("analytics")));
    List<String> lines = KubectlRspark.readLines(p, 4, Duration.ofSeconds(30));
    assertThat(lines.get(0)).contains(SECRET);
    p.destroy();
    p.waitFor();
    Process lyr =
        plugin(kubeconfig).start("-n", namespace, "attach", "analytics", "--sparklyr", "--print");
    assertThat(KubectlRspark.readLines(lyr, 3, Duration.ofSeconds(30)).get(2))
        .startsWith("sc <- spark_connect(");
    lyr.destroy();
    lyr.waitFor();
    Process ui = plugin(kubeconfig).start("-n", namespace, "ui", "analytics");
    assertThat(KubectlRspark.readLines(ui, 1, Duration.ofSeconds(30)).get(0))
        .endsWith("http://127.0.0.1:" + appUi.getLocalPort() + "/");
    ui.destroy();
    ui.waitFor();
    cluster(namespace, "analytics")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"connect\":{\"enabled\":true}}}");
    writeSparkAuthSecret("analytics");
    Process sc = plugin(kubeconfig).start("-n", namespace, "connect", "analytics", "--print");
    assertThat(KubectlRspark.readLines(sc, 1, Duration.ofSeconds(30)).get(0))
        .endsWith("/;authorization=Bearer%20" + CONNECT_TOKEN);
    sc.destroy();
    sc.waitFor();
  }

  @Test
  void aUserWithNoAccessToClustersIsRefusedClearly() throws Exception {
    readyCluster("private");
    Path kubeconfig = tokenKubeconfig("stranger");

    Result listed = plugin(kubeconfig).run("-n", namespace, "list");
    assertThat(listed.exit()).isEqualTo(4);
    assertThat(listed.stderr())
        .startsWith(
            "error: refused: your Kubernetes user may not list RSparkClusters in namespace \""
                + namespace
                + "\": ")
        .contains("forbidden");

    Result attached = plugin(kubeconfig).run("-n", namespace, "attach", "private");
    assertThat(attached.exit()).isEqualTo(4);
    assertThat(attached.stderr())
        .startsWith(
            "error: refused: your Kubernetes user may not read RSparkCluster \"private\" in"
                + " namespace \""
                + namespace
                + "\": ");
    assertThat(dir.resolve("calls")).doesNotExist();
  }

  /**
   * An analyst's kubeconfig: a ServiceAccount token allowed to read clusters, port-forward and
   * exec, but not to read Secrets.
   */
  private Path analystKubeconfig() throws Exception {
    admin
        .rbac()
        .roles()
        .inNamespace(namespace)
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName("r-user")
                .endMetadata()
                .addNewRule()
                .withApiGroups("rspark.io")
                .withResources("rsparkclusters")
                .withVerbs("get", "list")
                .endRule()
                .addNewRule()
                .withApiGroups("")
                .withResources("pods/portforward", "pods/exec")
                .withVerbs("create", "get")
                .endRule()
                .build())
        .createOr(r -> r.update());
    admin
        .rbac()
        .roleBindings()
        .inNamespace(namespace)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("r-user")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "r-user")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("analyst")
                .withNamespace(namespace)
                .endSubject()
                .build())
        .createOr(r -> r.update());
    return tokenKubeconfig("analyst");
  }

  /** Kubeconfigs made so far, by ServiceAccount: the kit makes one token Secret per account. */
  private static final Map<String, String> kubeconfigs = new java.util.HashMap<>();

  /** A kubeconfig with the token of ServiceAccount {@code name} (created if absent). */
  private Path tokenKubeconfig(String name) throws Exception {
    Path file = dir.resolve(name + ".kubeconfig");
    String known = kubeconfigs.get(name);
    if (known != null) {
      Files.writeString(file, known, StandardCharsets.UTF_8);
      return file;
    }
    admin
        .serviceAccounts()
        .inNamespace(namespace)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName(name).endMetadata().build())
        .createOr(r -> r.update());
    Config sa = kit.serviceAccountConfig(admin, namespace, name);
    String ca =
        sa.getCaCertData() != null
            ? "certificate-authority-data: " + sa.getCaCertData()
            : "certificate-authority: " + sa.getCaCertFile();
    String yaml =
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: kit",
            "  cluster:",
            "    server: " + sa.getMasterUrl(),
            "    " + ca,
            "users:",
            "- name: " + name,
            "  user:",
            "    token: " + sa.getOauthToken(),
            "contexts:",
            "- name: " + name,
            "  context: {cluster: kit, user: " + name + ", namespace: " + namespace + "}",
            "current-context: " + name,
            "");
    kubeconfigs.put(name, yaml);
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  private void readyCluster(String name) {
    create(namespace, name, 1);
    writeStatus(
        namespace, name, ClusterPhase.Running, "True", "ClusterReady", "", new int[] {1, 1, 1});
  }

  private static void create(String ns, String name, int workers) {
    RSparkCluster c = TestClusters.cluster(name, workers);
    c.getMetadata().setNamespace(ns);
    admin.resource(c).create();
  }

  private static void writeStatus(
      String ns,
      String name,
      ClusterPhase phase,
      String ready,
      String reason,
      String message,
      int[] workers) {
    RSparkClusterStatus status = new RSparkClusterStatus();
    status.phase = phase;
    status.conditions =
        List.of(
            new ConditionBuilder()
                .withType("Ready")
                .withStatus(ready)
                .withReason(reason)
                .withMessage(message.isEmpty() ? reason : message)
                .withLastTransitionTime("2026-01-01T00:00:00Z")
                .build());
    status.workers = new WorkersStatus(workers[0], workers[1], workers[2]);
    status.endpoints = new Endpoints();
    status.endpoints.master = "spark://" + name + "-driver." + ns + ".svc:7077";
    // Untyped: the cluster may carry fields this build's api classes do not know (spec.suspend).
    patchStatus(ns, name, Serialization.asJson(Map.of("status", status)));
  }
}
