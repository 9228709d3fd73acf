package io.rspark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code spec.r.packages} on real pods: a tiny R package built here with {@code R CMD build},
 * served from a CRAN-like repository this test runs, installed by the cluster's init container into
 * the cluster library, and loadable by R in the driver, in the worker and in executor processes.
 */
@ExtendWith({E2eEnvironment.class, E2eRun.class})
class RPackagesE2E {
  private static final String CLUSTER = "pkgs";
  private static final String PACKAGE = "rsparke2e";
  private static final String HELLO = "hello from the cluster library";

  private static Namespace ns;
  private static HttpServer repository;

  @BeforeAll
  static void serveARepository() throws Exception {
    ns = E2eRun.current().ns;
    Path root = Files.createTempDirectory("rspark-e2e-repo");
    Path contrib = Files.createDirectories(root.resolve("src/contrib"));
    buildPackage(contrib);
    repository = HttpServer.create(new InetSocketAddress("0.0.0.0", 0), 0);
    repository.createContext(
        "/",
        exchange -> {
          Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
          if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            exchange.sendResponseHeaders(200, Files.size(file));
            try (OutputStream body = exchange.getResponseBody()) {
              Files.copy(file, body);
            }
          }
          exchange.close();
        });
    repository.start();
  }

  @AfterAll
  static void stop() {
    if (repository != null) {
      repository.stop(0);
    }
    if (ns != null) {
      ns.deleteClusters(CLUSTER);
    }
  }

  @Test
  void packagesFromTheSpecLoadInTheDriverTheWorkerAndExecutors() throws Exception {
    String repo = "http://" + hostAddress() + ":" + repository.getAddress().getPort();
    Kubectl.apply(
        ClustersE2E.cluster(
            CLUSTER,
            1,
            """
            r:
              packages: [%s]
              repos: ["%s"]
            """
                .formatted(PACKAGE, repo)));
    Figures.seconds("1 + 1 workers with one R package: apply -> Ready", ns.awaitReady(CLUSTER));

    String sayHello = "library(" + PACKAGE + "); cat(" + PACKAGE + "_hello(), fill = TRUE)";
    for (String pod : List.of(CLUSTER + "-driver", CLUSTER + "-worker-0")) {
      assertThat(ns.exec(pod, "Rscript", "-e", sayHello).trim()).as(pod).endsWith(HELLO);
    }
    try (Attach attach = Attach.sparkR(ns, CLUSTER);
        SparkRWire r = attach.session()) {
      String query =
          "SELECT concat_ws(',', collect_set(said)) FROM (SELECT TRANSFORM(id) USING"
              + " 'cat >/dev/null; Rscript -e \""
              + sayHello
              + "\"' AS (said STRING) FROM range(0, 4, 1, 4))";
      assertThat(r.firstValue(query)).isEqualTo(HELLO);
    }
  }

  /** The package's sources, {@code R CMD build}, and the repository index R reads. */
  private static void buildPackage(Path contrib) throws IOException, InterruptedException {
    Path sources = Files.createTempDirectory("rspark-e2e-pkg").resolve(PACKAGE);
    Files.createDirectories(sources.resolve("R"));
    Files.writeString(
        sources.resolve("DESCRIPTION"),
        """
        Package: %s
        Version: 0.1.0
        Title: A Package for the rspark End-to-End Tests
        Description: Says hello from the cluster library.
        Author: rspark e2e
        Maintainer: rspark e2e <e2e@example.invalid>
        License: MIT
        """
            .formatted(PACKAGE));
    Files.writeString(sources.resolve("NAMESPACE"), "export(" + PACKAGE + "_hello)\n");
    Files.writeString(
        sources.resolve("R/hello.R"), PACKAGE + "_hello <- function() \"" + HELLO + "\"\n");
    run(contrib, "R", "CMD", "build", "--no-manual", "--no-build-vignettes", sources.toString());
    run(contrib, "Rscript", "-e", "tools::write_PACKAGES('.', type = 'source')");
  }

  private static void run(Path dir, String... command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
    }
  }

  /**
   * Where pods reach this test's server: {@code -Drspark.e2e.host-address}, else the node's
   * InternalIP (on the kit's node that is this machine's bridge address; on kind, give the address
   * of the host as the kind network sees it).
   */
  private static String hostAddress() {
    String given = System.getProperty("rspark.e2e.host-address", "");
    if (!given.isBlank()) {
      return given;
    }
    return Kubectl.run(
            null,
            Duration.ofMinutes(1),
            "get",
            "nodes",
            "-o",
            "jsonpath={.items[0].status.addresses[?(@.type==\"InternalIP\")].address}")
        .trim();
  }
}
