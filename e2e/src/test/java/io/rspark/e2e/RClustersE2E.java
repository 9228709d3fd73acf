package io.rspark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole product on a real cluster: the operator installed, a single-node and a multi-worker
 * cluster from the real images, R through SparkR and sparklyr in the driver (queries, dapply,
 * spark.lapply, spark_apply), scaling, deletion, and nothing left behind.
 */
@ExtendWith(E2eEnvironment.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RClustersE2E {
  private static final String SOLO = "solo";
  private static final String MULTI = "multi";
  private static final String OWNED_KINDS = "pods,secrets,configmaps,services,networkpolicies";

  private static String namespace;
  private static OperatorInstall operator;

  @BeforeAll
  static void install() throws Exception {
    namespace = "rspark-e2e-" + UUID.randomUUID().toString().substring(0, 6);
    Kubectl.run("create", "namespace", namespace);
    operator = OperatorInstall.install(namespace);
  }

  @AfterAll
  static void uninstall() throws Exception {
    if (operator != null) {
      System.out.println("[rspark-e2e] operator log:\n" + operator.log());
      operator.close();
    }
    if (namespace != null) {
      Kubectl.tryExec(
          List.of("kubectl", "delete", "namespace", namespace, "--wait=false"),
          null,
          Duration.ofMinutes(1));
    }
  }

  @Test
  @Order(1)
  void singleNodeClusterRunsSparkRAndSparklyr() {
    Kubectl.apply(cluster(SOLO, 0));
    awaitReady(SOLO);
    assertThat(podNames(SOLO)).containsExactly(SOLO + "-driver");
    assertThat(jsonpath(SOLO, "{.status.endpoints.master}")).isEqualTo("local[*]");

    assertThat(rscript(SOLO, SPARKR)).contains("SPARKR_OK");
    assertThat(rscript(SOLO, SPARKLYR)).contains("SPARKLYR_OK");
  }

  @Test
  @Order(2)
  void multiWorkerClusterRunsROnItsWorkers() {
    Kubectl.apply(cluster(MULTI, 2));
    awaitReady(MULTI);
    assertThat(podNames(MULTI))
        .containsExactlyInAnyOrder(MULTI + "-driver", MULTI + "-worker-0", MULTI + "-worker-1");
    assertThat(jsonpath(MULTI, "{.status.endpoints.master}"))
        .isEqualTo("spark://" + MULTI + "-driver." + namespace + ".svc:7077");

    assertThat(rscript(MULTI, SPARKR)).contains("SPARKR_OK");
    assertThat(rscript(MULTI, SPARKLYR)).contains("SPARKLYR_OK");
    // R ran in executor processes on the worker pods, not in the driver.
    String hosts = rscript(MULTI, SPARKR_HOSTS);
    Set<String> ranOn =
        Arrays.stream(hosts.split("\\R"))
            .filter(l -> l.startsWith("HOST "))
            .map(l -> l.substring(5).trim())
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(ranOn).isNotEmpty().allMatch(h -> h.startsWith(MULTI + "-worker-"));
  }

  @Test
  @Order(3)
  void scalingUpAndDown() {
    Kubectl.run("-n", namespace, "scale", "rsc/" + MULTI, "--replicas=3");
    awaitReady(MULTI);
    await().atMost(E2eEnvironment.timeout()).until(() -> podNames(MULTI).size() == 4);
    assertThat(jsonpath(MULTI, "{.status.workers.ready}")).isEqualTo("3");

    Kubectl.run("-n", namespace, "scale", "rsc/" + MULTI, "--replicas=1");
    await()
        .atMost(E2eEnvironment.timeout())
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () ->
                assertThat(podNames(MULTI))
                    .containsExactlyInAnyOrder(MULTI + "-driver", MULTI + "-worker-0"));
    awaitReady(MULTI);
    assertThat(rscript(MULTI, SPARKR)).contains("SPARKR_OK");
  }

  @Test
  @Order(4)
  void deletingTheClustersLeavesNothingBehind() {
    Kubectl.run(
        null, E2eEnvironment.timeout(), "-n", namespace, "delete", "rsc", SOLO, MULTI, "--wait");
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () ->
                assertThat(
                        Kubectl.run(
                                "-n",
                                namespace,
                                "get",
                                OWNED_KINDS,
                                "-l",
                                "rspark.io/cluster",
                                "-o",
                                "name")
                            .trim())
                    .as("objects left behind")
                    .isEmpty());
    assertThat(Kubectl.run("-n", namespace, "get", "rsc", "-o", "name").trim()).isEmpty();
    assertThat(operator.alive()).as("the operator survived the run").isTrue();
  }

  /** Counts, a SparkR dapply (R on executors) and spark.lapply through the attached session. */
  private static final String SPARKR =
      """
      library(SparkR)
      sparkR.session()
      df <- createDataFrame(data.frame(x = 1:1000))
      stopifnot(count(df) == 1000)
      stopifnot(collect(agg(df, s = sum(df$x)))$s == 500500)
      doubled <- dapply(repartition(df, 4L), function(p) data.frame(y = p$x * 2L),
                        structType(structField("y", "integer")))
      stopifnot(collect(agg(doubled, s = sum(doubled$y)))$s == 1001000)
      squares <- unlist(spark.lapply(1:10, function(i) i * i))
      stopifnot(sum(squares) == 385)
      cat("SPARKR_OK\\n")
      """;

  private static final String SPARKR_HOSTS =
      """
      library(SparkR)
      sparkR.session()
      hosts <- unique(unlist(spark.lapply(1:20, function(i) Sys.info()[["nodename"]])))
      cat(paste0("HOST ", hosts, "\\n"), sep = "")
      """;

  /** A dplyr query and spark_apply (R on executors) through the bridge's sparklyr gateway. */
  private static final String SPARKLYR =
      """
      suppressPackageStartupMessages({ library(sparklyr); library(dplyr) })
      sc <- rspark_connect()
      t <- sdf_copy_to(sc, data.frame(x = 1:1000), "e2e_numbers", overwrite = TRUE,
                       repartition = 4L)
      s <- t %>% summarise(s = sum(x, na.rm = TRUE)) %>% collect()
      stopifnot(s$s == 500500)
      plus <- spark_apply(t, function(d) data.frame(y = d$x + 1L),
                          columns = list(y = "integer")) %>% collect()
      stopifnot(nrow(plus) == 1000, sum(plus$y) == 501500)
      cat("SPARKLYR_OK\\n")
      """;

  private static String cluster(String name, int workers) {
    return """
        apiVersion: rspark.io/v1alpha1
        kind: RSparkCluster
        metadata: {name: %s, namespace: %s}
        spec:
          image: %s
          driver: {resources: {cpu: "1", memory: 2Gi}}
          workers:
            replicas: %d
            resources: {cpu: "1", memory: 2Gi}
        """
        .formatted(name, namespace, E2eEnvironment.executorImage(), workers);
  }

  private static void awaitReady(String name) {
    Duration timeout = E2eEnvironment.timeout();
    Kubectl.run(
        null,
        timeout.plusSeconds(30),
        "-n",
        namespace,
        "wait",
        "--for=condition=Ready",
        "rsc/" + name,
        "--timeout=" + timeout.toSeconds() + "s");
  }

  private static String jsonpath(String name, String path) {
    return Kubectl.run("-n", namespace, "get", "rsc/" + name, "-o", "jsonpath=" + path).trim();
  }

  private static List<String> podNames(String cluster) {
    String out =
        Kubectl.run(
            "-n",
            namespace,
            "get",
            "pods",
            "-l",
            "rspark.io/cluster=" + cluster,
            "-o",
            "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}");
    return out.lines().map(String::trim).filter(s -> !s.isEmpty()).sorted().toList();
  }

  /** Runs an R script with Rscript in the cluster's driver pod, as a user's session would. */
  private static String rscript(String cluster, String script) {
    String out =
        Kubectl.run(
            script,
            Duration.ofMinutes(10),
            "-n",
            namespace,
            "exec",
            "-i",
            cluster + "-driver",
            "-c",
            "spark",
            "--",
            "Rscript",
            "-");
    System.out.println("[rspark-e2e] " + cluster.toLowerCase(Locale.ROOT) + " R output:\n" + out);
    return out;
  }
}
