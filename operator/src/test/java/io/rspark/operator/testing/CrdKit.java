package io.rspark.operator.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;

/**
 * The Kubernetes 1.36 CRD API server of {@code ../shared/crdkit} (apiextensions-apiserver: CRDs and
 * custom resources only), which admits an RSparkCluster as a current cluster does: CEL rules
 * cost-checked at CRD create and enforced, {@code fieldValidation=Strict}, defaulting, the scale
 * subresource. The IT kit's 1.20 does none of the first three.
 *
 * <p>{@code -Drspark.crdkit.kubeconfig} names a running server ({@code .ci/run} starts one);
 * otherwise the first use starts one in {@code $RSPARK_CRDKIT_STATE} (default {@code
 * /tmp/rspark-crdkit-it}) and stops it at JVM exit. The kit is built once per machine by its
 * install.sh (about 12 minutes), which tests do not run: without it they fail under {@code CI=true}
 * and are skipped elsewhere.
 */
public final class CrdKit {
  private static final Duration KIT_SCRIPT_TIMEOUT = Duration.ofMinutes(2);

  private static CrdKit instance;

  private final Path kubeconfig;
  private final List<String> installWarnings = new CopyOnWriteArrayList<>();
  private final Path kubectlCache;

  private CrdKit(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
    try {
      // Under the module's target/, so that mvn clean takes it away.
      this.kubectlCache =
          Files.createTempDirectory(
              Files.createDirectories(Path.of("target")), "crdkit-kubectl-cache");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The running server with the generated CRD freshly created; starts the server on first use, or
   * skips (fails on CI) the caller without it.
   */
  public static synchronized CrdKit get() {
    if (instance == null) {
      String given = System.getProperty("rspark.crdkit.kubeconfig", "");
      CrdKit kit = new CrdKit(given.isBlank() ? start() : Path.of(given));
      try (KubernetesClient client = kit.newClient(kit.installWarnings::add)) {
        kit.installCrd(client);
      }
      instance = kit;
    }
    return instance;
  }

  /** What the server warned about while it created the CRD. */
  public List<String> installWarnings() {
    return List.copyOf(installWarnings);
  }

  /**
   * Creates the generated CRD. One left by an earlier run is deleted first: a server checks the
   * cost of CEL rules fully only when they are new, so an update would not show what installing on
   * a fresh cluster does.
   */
  private void installCrd(KubernetesClient client) {
    CustomResourceDefinition crd = GeneratedCrd.crd();
    var crds = client.apiextensions().v1().customResourceDefinitions();
    crds.withName(crd.getMetadata().getName()).withTimeout(2, TimeUnit.MINUTES).delete();
    crds.resource(crd).create();
    crds.withName(crd.getMetadata().getName())
        .waitUntilCondition(
            c ->
                c != null
                    && c.getStatus() != null
                    && c.getStatus().getConditions() != null
                    && c.getStatus().getConditions().stream()
                        .anyMatch(
                            k -> "Established".equals(k.getType()) && "True".equals(k.getStatus())),
            1,
            TimeUnit.MINUTES);
  }

  private static Path start() {
    Path kitDir = RepoPaths.shared().resolve("crdkit");
    Path cache = cache();
    if (!Files.isRegularFile(kitDir.resolve("start.sh"))
        || !Files.isExecutable(cache.resolve("bin/apiextensions-apiserver"))) {
      String missing =
          "The Kubernetes 1.36 CRD server is not installed ("
              + cache.resolve("bin")
              + "); run: bash "
              + kitDir.resolve("install.sh")
              + " (about 12 minutes, once per machine)";
      if ("true".equals(System.getenv("CI"))) {
        fail(missing + "; .ci/run installs it");
      }
      // Surefire reports a class skipped in @BeforeAll without its reason: say it here.
      System.err.println("Skipping the Kubernetes 1.36 admission tests: " + missing);
      Assumptions.abort(missing);
    }
    String stateEnv = System.getenv("RSPARK_CRDKIT_STATE");
    Path state = Path.of(stateEnv != null ? stateEnv : "/tmp/rspark-crdkit-it");
    boolean wasRunning = Files.exists(state.resolve("apiserver.pid"));
    KitScripts.bash(KIT_SCRIPT_TIMEOUT, kitDir.resolve("start.sh").toString(), state.toString());
    if (!wasRunning) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () ->
                      KitScripts.bash(
                          KIT_SCRIPT_TIMEOUT,
                          kitDir.resolve("stop.sh").toString(),
                          state.toString())));
    }
    return state.resolve("kubeconfig");
  }

  /** Where install.sh keeps the binaries, as start.sh finds them. */
  private static Path cache() {
    String cacheEnv = System.getenv("CRDKIT_CACHE");
    return cacheEnv != null
        ? Path.of(cacheEnv)
        : Path.of(System.getProperty("user.home"), ".cache", "rspark-crdkit");
  }

  /** What a kubectl run printed (stdout and stderr together) and its exit code. */
  public record Result(int exit, String output) {}

  /**
   * The kit's kubectl (1.36) against this server, with a discovery cache of this JVM's own: one
   * from an earlier run may still list CRDs that are gone, which makes short names ambiguous.
   */
  public Result kubectl(String... args) {
    List<String> command = new ArrayList<>();
    command.add(cache().resolve("bin/kubectl").toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.add("--cache-dir=" + kubectlCache);
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(1, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("kubectl did not finish: " + command);
      }
      return new Result(p.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(config()).build();
  }

  /**
   * A client that hands every {@code Warning} header of the server's responses to {@code warnings}:
   * how Kubernetes reports what it accepts but does not like (unknown fields under {@code
   * fieldValidation=Warn}, deprecated or dubious CRD constructs).
   */
  public KubernetesClient newClient(Consumer<String> warnings) {
    Interceptor listener =
        new Interceptor() {
          @Override
          public void after(
              HttpRequest request,
              HttpResponse<?> response,
              AsyncBody.Consumer<List<ByteBuffer>> consumer) {
            response.headers("Warning").forEach(warnings);
          }
        };
    return new KubernetesClientBuilder()
        .withConfig(config())
        .withHttpClientBuilderConsumer(
            b -> b.addOrReplaceInterceptor("rspark-test-warnings", listener))
        .build();
  }

  private Config config() {
    try {
      String text = Files.readString(kubeconfig, StandardCharsets.UTF_8);
      return Config.fromKubeconfig(null, text, kubeconfig.toString());
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read " + kubeconfig, e);
    }
  }
}
