package io.rspark.bridge.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.rspark.bridge.kubernetes.RecordingApiProxy.Call;
import io.rspark.bridge.testing.Prerequisites;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark's own Kubernetes backend (KubernetesClusterManager and ExecutorPodsAllocator from the
 * spark-kubernetes jar) in this JVM against the kit's real API server, authenticated as the
 * driver's ServiceAccount bound to the operator's Role, with the operator's executor template and
 * spark-defaults (the golden files the operator's tests render). The test plays the kubelet; the
 * executors never run. A recording proxy in front of the API server shows which rights Spark used,
 * and the Role must grant exactly those.
 */
class KubernetesBackendIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String GOLDEN = "operator/src/test/resources/golden/";

  /** The namespace the golden files were rendered for; the test's own replaces it. */
  private static final String GOLDEN_NAMESPACE = "data-team";

  @TempDir Path dir;

  @Test
  void sparkCreatesExecutorPodsFromTheOperatorsTemplateWithExactlyTheRolesRights()
      throws Exception {
    Path kubeconfig = startKit();
    Config adminConfig =
        Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
    try (KubernetesClient admin = new KubernetesClientBuilder().withConfig(adminConfig).build()) {
      String ns = "spark-k8s-" + UUID.randomUUID().toString().substring(0, 8);
      admin
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
      await(() -> admin.serviceAccounts().inNamespace(ns).withName("default").get() != null);
      try {
        run(admin, adminConfig, ns);
      } finally {
        admin.namespaces().withName(ns).delete();
      }
    }
  }

  private void run(KubernetesClient admin, Config adminConfig, String ns) throws Exception {
    for (String file :
        List.of("driver-service-account.yaml", "driver-role.yaml", "driver-role-binding.yaml")) {
      admin.resource(golden(file, ns)).create();
    }
    // The golden cluster asks for this PriorityClass; admission refuses pods naming a missing one.
    String priorityClass = templatePod(ns).getSpec().getPriorityClassName();
    if (admin.scheduling().v1().priorityClasses().withName(priorityClass).get() == null) {
      admin
          .resource(
              new PriorityClassBuilder()
                  .withNewMetadata()
                  .withName(priorityClass)
                  .endMetadata()
                  .withValue(1000)
                  .build())
          .create();
    }
    Role role = (Role) golden("driver-role.yaml", ns);
    ConfigMap templateMap = (ConfigMap) golden("executor-template-configmap.yaml", ns);
    ConfigMap sparkConfig = (ConfigMap) golden("kubernetes-spark-config.yaml", ns);
    Properties defaults = new Properties();
    defaults.load(new StringReader(sparkConfig.getData().get("spark-defaults.conf")));
    String driverName = defaults.getProperty("spark.kubernetes.driver.pod.name");
    Pod driver =
        admin
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName(driverName)
                    .withNamespace(ns)
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("spark")
                    .withImage(defaults.getProperty("spark.kubernetes.container.image"))
                    .endContainer()
                    .endSpec()
                    .build())
            .create();
    String token = serviceAccountToken(admin, ns, "analytics-driver");

    Path template = dir.resolve("executor-pod.yaml");
    Files.writeString(template, templateMap.getData().get("executor-pod.yaml"));
    Path secret = dir.resolve("spark-auth-secret");
    Files.writeString(secret, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

    try (RecordingApiProxy proxy =
        new RecordingApiProxy(java.net.URI.create(adminConfig.getMasterUrl()))) {
      SparkConf conf = new SparkConf(false);
      defaults.stringPropertyNames().forEach(k -> conf.set(k, defaults.getProperty(k).trim()));
      // What differs between the driver pod and this JVM: where the API server, the namespace,
      // the mounted files and the driver's own address are, and the token the kubelet would mount.
      conf.set("spark.master", "k8s://" + proxy.url());
      conf.set("spark.kubernetes.namespace", ns);
      conf.remove("spark.kubernetes.authenticate.caCertFile");
      conf.set("spark.kubernetes.authenticate.oauthToken", token);
      conf.set("spark.kubernetes.executor.podTemplateFile", template.toString());
      conf.set("spark.authenticate.secret.driver.file", secret.toString());
      conf.set("spark.authenticate.secret.executor.file", secret.toString());
      conf.set("spark.driver.host", "127.0.0.1");
      conf.set("spark.driver.bindAddress", "127.0.0.1");
      conf.set("spark.driver.port", "0");
      conf.set("spark.driver.blockManager.port", "0");
      conf.set("spark.ui.enabled", "false");
      // No executor ever registers here: do not wait the default 30 s for one at start.
      conf.set("spark.scheduler.maxRegisteredResourcesWaitingTime", "1s");
      conf.set("spark.app.name", "kubernetes-backend-it");
      // fabric8 must not find the admin's kubeconfig: only the ServiceAccount's token counts.
      System.setProperty("kubernetes.auth.tryKubeConfig", "false");
      System.setProperty("kubernetes.auth.tryServiceAccount", "false");

      String prefix = defaults.getProperty("spark.kubernetes.executor.podNamePrefix");
      SparkContext sc = new SparkContext(conf);
      try {
        Pod first = awaitExecutor(admin, ns, prefix + "-exec-1");
        assertPassesOurChecks(first, driver, defaults);
        // Play the kubelet: the first executor fails; Spark deletes its pod and asks for another.
        markPhase(admin, first, "Failed");
        await(
            () ->
                admin.pods().inNamespace(ns).withName(first.getMetadata().getName()).get() == null);
        assertPassesOurChecks(awaitExecutor(admin, ns, prefix + "-exec-2"), driver, defaults);
      } finally {
        sc.stop();
      }
      await(
          () ->
              admin
                  .pods()
                  .inNamespace(ns)
                  .withLabel("spark-role", "executor")
                  .list()
                  .getItems()
                  .isEmpty());

      List<Call> calls = proxy.calls();
      assertThat(calls).isNotEmpty();
      assertThat(calls)
          .as("every request carried the driver's ServiceAccount token")
          .allSatisfy(c -> assertThat(c.bearerToken()).isEqualTo(token));
      assertThat(calls)
          .as("the API server refused nothing")
          .noneMatch(c -> c.status() == 401 || c.status() == 403);
      Set<String> used = new TreeSet<>();
      calls.forEach(c -> used.add(rightOf(c, ns)));
      Set<String> granted = new TreeSet<>();
      for (PolicyRule rule : role.getRules()) {
        for (String resource : rule.getResources()) {
          rule.getVerbs().forEach(v -> granted.add(resource + " " + v));
        }
      }
      assertThat(used).as("rights Spark used, as the Role grants them").isEqualTo(granted);
    }
  }

  private static void assertPassesOurChecks(Pod pod, Pod driver, Properties defaults) {
    var meta = pod.getMetadata();
    assertThat(meta.getLabels())
        .containsEntry("rspark.io/cluster", "analytics")
        .containsEntry("rspark.io/role", "executor")
        .containsEntry("app.kubernetes.io/managed-by", "rspark-operator")
        .containsEntry("spark-role", "executor")
        .containsKey("spark-app-selector");
    assertThat(meta.getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("Pod");
              assertThat(o.getUid()).isEqualTo(driver.getMetadata().getUid());
              assertThat(o.getController()).isTrue();
            });
    var spec = pod.getSpec();
    assertThat(spec.getAutomountServiceAccountToken()).isFalse();
    assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(spec.getSecurityContext().getRunAsUser()).isEqualTo(185L);
    assertThat(spec.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(spec.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(spec.getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
    var container =
        spec.getContainers().stream().filter(c -> c.getName().equals("spark")).findFirst().get();
    assertThat(spec.getContainers()).hasSize(1);
    assertThat(container.getImage())
        .isEqualTo(defaults.getProperty("spark.kubernetes.container.image"));
    assertThat(container.getArgs()).containsExactly("executor");
    var sc = container.getSecurityContext();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("8Gi");
    assertThat(container.getResources().getRequests().get("cpu").toString()).isEqualTo("2");
    Map<String, String> env = new java.util.HashMap<>();
    container.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
    assertThat(env).containsEntry("RSPARK_ROLE", "executor").containsKey("SPARK_DRIVER_URL");
    assertThat(env)
        .as("the secret stays in its file, never in the pod spec")
        .doesNotContainKey("_SPARK_AUTH_SECRET")
        .doesNotContainKey("SPARK_AUTH_SECRET");
    assertThat(env.values())
        .anyMatch(v -> v != null && v.startsWith("-Dspark.authenticate.secret.executor.file="))
        .noneMatch(v -> v != null && v.contains("0123456789abcdef0123456789abcdef"));
    assertThat(container.getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/etc/rspark/auth"))
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/opt/rspark/rlib"));
    assertThat(spec.getVolumes())
        .anySatisfy(
            v -> assertThat(v.getSecret().getSecretName()).isEqualTo("analytics-spark-auth"));
    assertThat(spec.getInitContainers())
        .singleElement()
        .satisfies(c -> assertThat(c.getArgs()).containsExactly("install-packages"));
  }

  /** "resource verb" of one call, in RBAC's terms. */
  private static String rightOf(Call call, String ns) {
    String path = call.uri().getPath();
    String prefix = "/api/v1/namespaces/" + ns + "/";
    assertThat(path).as("a namespaced core-group call").startsWith(prefix);
    String[] rest = path.substring(prefix.length()).split("/");
    String query = call.uri().getQuery() == null ? "" : call.uri().getQuery();
    boolean named = rest.length > 1;
    assertThat(rest.length).as("no subresource: " + path).isLessThanOrEqualTo(2);
    String verb =
        switch (call.method().toUpperCase(Locale.ROOT)) {
          case "GET" ->
              query.contains("watch=true") || query.contains("watch=1")
                  ? "watch"
                  : named ? "get" : "list";
          case "POST" -> "create";
          case "DELETE" -> named ? "delete" : "deletecollection";
          case "PATCH" -> "patch";
          case "PUT" -> "update";
          default -> call.method();
        };
    return rest[0] + " " + verb;
  }

  private static Pod awaitExecutor(KubernetesClient admin, String ns, String name)
      throws InterruptedException {
    await(() -> admin.pods().inNamespace(ns).withName(name).get() != null);
    return admin.pods().inNamespace(ns).withName(name).get();
  }

  private static void markPhase(KubernetesClient admin, Pod pod, String phase) {
    Pod current = admin.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).get();
    current.setStatus(new PodStatusBuilder().withPhase(phase).build());
    admin.pods().inNamespace(pod.getMetadata().getNamespace()).resource(current).updateStatus();
  }

  private static Pod templatePod(String ns) throws Exception {
    ConfigMap map = (ConfigMap) golden("executor-template-configmap.yaml", ns);
    return Serialization.unmarshal(map.getData().get("executor-pod.yaml"), Pod.class);
  }

  /**
   * A golden file of the operator, moved into {@code ns} and without its owner (no cluster here).
   */
  private static HasMetadata golden(String file, String ns) throws Exception {
    String text =
        Files.readString(Prerequisites.repoRoot().resolve(GOLDEN + file), StandardCharsets.UTF_8)
            .replace(GOLDEN_NAMESPACE, ns);
    HasMetadata object = Serialization.unmarshal(text);
    object.getMetadata().setOwnerReferences(new ArrayList<>());
    return object;
  }

  /** A token of the ServiceAccount: on 1.20 the controller manager fills a token Secret. */
  private static String serviceAccountToken(KubernetesClient admin, String ns, String account)
      throws InterruptedException {
    Secret created =
        admin
            .resource(
                new SecretBuilder()
                    .withNewMetadata()
                    .withName(account + "-token-for-tests")
                    .withNamespace(ns)
                    .addToAnnotations("kubernetes.io/service-account.name", account)
                    .endMetadata()
                    .withType("kubernetes.io/service-account-token")
                    .build())
            .create();
    await(
        () -> {
          Secret s = admin.resource(created).get();
          return s.getData() != null && s.getData().containsKey("token");
        });
    return new String(
        Base64.getDecoder().decode(admin.resource(created).get().getData().get("token")),
        StandardCharsets.UTF_8);
  }

  /** Starts the kit (../shared/k8s) in $RSPARK_K8S_STATE; returns its admin kubeconfig. */
  private static Path startKit() throws Exception {
    Path kit = Prerequisites.repoRoot().resolveSibling("shared").resolve("k8s");
    Prerequisites.requireFile(kit.resolve("start.sh"), "the Kubernetes API kit ../shared/k8s");
    String stateEnv = System.getenv("RSPARK_K8S_STATE");
    Path state = Path.of(stateEnv != null ? stateEnv : "/tmp/rspark-k8s-it");
    Process start =
        new ProcessBuilder("bash", kit.resolve("start.sh").toString(), state.toString())
            .redirectErrorStream(true)
            .start();
    try (InputStream out = start.getInputStream()) {
      out.transferTo(java.io.OutputStream.nullOutputStream());
    }
    assertThat(start.waitFor(120, TimeUnit.SECONDS) && start.exitValue() == 0)
        .as("the kit started")
        .isTrue();
    return state.resolve("admin.kubeconfig");
  }

  private static void await(Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!Boolean.TRUE.equals(condition.get())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + TIMEOUT);
      }
      Thread.sleep(200);
    }
  }
}
