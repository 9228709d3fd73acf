package io.rspark.operator.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;
import org.awaitility.Awaitility;

/**
 * The real Kubernetes control plane of {@code ../shared/k8s} for the {@code *IT} tier. The first
 * use in a JVM installs the kit if needed and starts it (idempotent: a control plane that {@code
 * .ci/run} already started is reused); the kit is stopped at JVM exit only if this JVM started it.
 * Tests never touch the developer's own kube context.
 */
public final class KubeApiKit {
  /** Starting a kit the first time on a machine builds or unpacks it. */
  private static final Duration KIT_SCRIPT_TIMEOUT = Duration.ofMinutes(15);

  private static final String CRD_RESOURCE = "META-INF/fabric8/rsparkclusters.rspark.io-v1.yml";
  private static KubeApiKit instance;

  private final Path kitDir;
  private final Path stateDir;
  private final Path kubeconfig;

  private KubeApiKit(Path kitDir, Path stateDir, Path kubeconfig) {
    this.kitDir = kitDir;
    this.stateDir = stateDir;
    this.kubeconfig = kubeconfig;
  }

  /** The running control plane; starts it on first use. */
  public static synchronized KubeApiKit get() {
    if (instance == null) {
      instance = start();
      try (KubernetesClient client = instance.newClient()) {
        instance.installCrd(client);
      }
    }
    return instance;
  }

  private static KubeApiKit start() {
    Path kitDir = RepoPaths.shared().resolve("k8s");
    if (!Files.isRegularFile(kitDir.resolve("start.sh"))) {
      throw new IllegalStateException(
          "The Kubernetes API kit is missing at " + kitDir + "; the *IT tier needs ../shared/k8s");
    }
    String stateEnv = System.getenv("RSPARK_K8S_STATE");
    Path state = Path.of(stateEnv != null ? stateEnv : "/tmp/rspark-k8s-it");
    boolean wasRunning = Files.exists(state.resolve("pids/apiserver"));
    KitScripts.bash(KIT_SCRIPT_TIMEOUT, kitDir.resolve("start.sh").toString(), state.toString());
    KubeApiKit kit = new KubeApiKit(kitDir, state, state.resolve("admin.kubeconfig"));
    if (!wasRunning) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () ->
                      KitScripts.bash(
                          KIT_SCRIPT_TIMEOUT, kitDir.resolve("stop.sh").toString(), state + "")));
    }
    return kit;
  }

  /** Stops only the apiserver, an API outage; etcd keeps the data. */
  public void stopApiServer() {
    KitScripts.bash(
        KIT_SCRIPT_TIMEOUT, kitDir.resolve("stop.sh").toString(), stateDir.toString(), "apiserver");
  }

  /** Starts whatever is not running, on the same ports. */
  public void startAgain() {
    KitScripts.bash(KIT_SCRIPT_TIMEOUT, kitDir.resolve("start.sh").toString(), stateDir.toString());
  }

  /**
   * etcd's client URL (plain HTTP on loopback). Tests use its JSON gateway to change stored objects
   * while the apiserver is down, which no API client can do.
   */
  public String etcdUrl() {
    try {
      return Files.readAllLines(stateDir.resolve("ports.env"), StandardCharsets.UTF_8).stream()
          .filter(l -> l.startsWith("ETCD_CLIENT_PORT="))
          .map(l -> "http://127.0.0.1:" + l.substring(l.indexOf('=') + 1).trim())
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("No ETCD_CLIENT_PORT in " + stateDir));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read " + stateDir.resolve("ports.env"), e);
    }
  }

  /** The admin kubeconfig file, for a child process's KUBECONFIG. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  public Config config() {
    try {
      String text = Files.readString(kubeconfig, StandardCharsets.UTF_8);
      return Config.fromKubeconfig(null, text, kubeconfig.toString());
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read " + kubeconfig, e);
    }
  }

  public KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(config()).build();
  }

  /** A client whose HTTP requests also go to {@code requestListener} (method, path). */
  public KubernetesClient newClient(Consumer<RequestCounter.Request> requestListener) {
    return new KubernetesClientBuilder()
        .withConfig(config())
        .withHttpClientBuilderConsumer(
            b ->
                b.addOrReplaceInterceptor(
                    "rspark-test-counter", new RequestCounter(requestListener)))
        .build();
  }

  /**
   * A client configuration that authenticates as the ServiceAccount {@code namespace/name} with a
   * token, the way the operator runs in a pod: only that account's RBAC applies. The token comes
   * from a token Secret that the controller manager fills (Kubernetes 1.20 has no TokenRequest
   * helper in this client).
   */
  public Config serviceAccountConfig(KubernetesClient admin, String namespace, String name) {
    Secret tokenSecret =
        admin
            .secrets()
            .inNamespace(namespace)
            .resource(
                new SecretBuilder()
                    .withNewMetadata()
                    .withName(name + "-token-for-tests")
                    .withNamespace(namespace)
                    .addToAnnotations("kubernetes.io/service-account.name", name)
                    .endMetadata()
                    .withType("kubernetes.io/service-account-token")
                    .build())
            .create();
    String encoded =
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  Secret s = admin.secrets().inNamespace(namespace).resource(tokenSecret).get();
                  return s.getData() == null ? null : s.getData().get("token");
                },
                token -> token != null);
    Config adminConfig = config();
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(adminConfig.getMasterUrl())
        .withCaCertData(adminConfig.getCaCertData())
        .withCaCertFile(adminConfig.getCaCertFile())
        .withOauthToken(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8))
        .build();
  }

  /** A fresh namespace whose default ServiceAccount exists (pods are refused before that). */
  public String newNamespace(KubernetesClient client, String prefix) {
    String name =
        (prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.serviceAccounts().inNamespace(name).withName("default").get() != null);
    return name;
  }

  private void installCrd(KubernetesClient client) {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(CRD_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(CRD_RESOURCE + " is not on the test classpath");
      }
      CustomResourceDefinition crd =
          client.apiextensions().v1().customResourceDefinitions().load(in).item();
      // Server-side apply of a CRD with CEL rules fails on 1.20 (see ../shared/k8s/README.md).
      client.resource(crd).unlock().createOr(NonDeletingOperation::update);
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  client
                      .apiextensions()
                      .v1()
                      .customResourceDefinitions()
                      .withName(crd.getMetadata().getName())
                      .get()
                      .getStatus()
                      .getConditions()
                      .stream()
                      .anyMatch(
                          c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
