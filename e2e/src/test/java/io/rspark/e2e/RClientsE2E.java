package io.rspark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * R itself in the driver pod of a 1 + 2 worker cluster, as an R user's session runs it: SparkR
 * attached to the bridge (count, agg, dapply on the workers, spark.lapply) and sparklyr through the
 * bridge's gateway (dplyr, spark_apply). These need the SparkR and sparklyr R packages in the
 * image, which an image built offline does not carry (docs/e2e.md): each test runs only where the
 * image has what it needs and says so when it does not.
 */
@ExtendWith({E2eEnvironment.class, E2eRun.class})
class RClientsE2E {
  private static final String CLUSTER = "rclients";

  private static Namespace ns;

  @BeforeAll
  static void cluster() {
    ns = E2eRun.current().ns;
  }

  @AfterAll
  static void removeCluster() {
    if (ns != null) {
      ns.deleteClusters(CLUSTER);
    }
  }

  @Test
  void sparkRSessionsRunROnTheWorkers() {
    assumeImageHas("SparkR");
    String out = rscript(SPARKR);
    assertThat(out).contains("SPARKR_OK");
    Set<String> ranOn =
        Arrays.stream(out.split("\\R"))
            .filter(l -> l.startsWith("HOST "))
            .map(l -> l.substring(5).trim())
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(ranOn).isNotEmpty().allMatch(h -> h.startsWith(CLUSTER + "-worker-"));
  }

  @Test
  void sparklyrSessionsRunROnTheWorkers() {
    assumeImageHas("sparklyr");
    assertThat(rscript(SPARKLYR)).contains("SPARKLYR_OK");
  }

  /** Starts the cluster on first use, so an image without R clients costs no pods. */
  private static void assumeImageHas(String rPackage) {
    if (ns.pods(CLUSTER).isEmpty()) {
      Kubectl.apply(ClustersE2E.cluster(CLUSTER, 2, ""));
      ns.awaitReady(CLUSTER);
    }
    String found =
        ns.exec(
            CLUSTER + "-driver",
            "Rscript",
            "-e",
            "cat(requireNamespace('" + rPackage + "', quietly = TRUE))");
    assumeTrue(
        found.trim().endsWith("TRUE"),
        "the image "
            + E2eEnvironment.executorImage()
            + " has no "
            + rPackage
            + " R package (an image built offline has none: docs/e2e.md); this R-client test runs"
            + " where the image carries it");
  }

  private static String rscript(String script) {
    String out =
        Kubectl.run(
            script,
            Duration.ofMinutes(10),
            "-n",
            ns.name,
            "exec",
            "-i",
            CLUSTER + "-driver",
            "-c",
            "spark",
            "--",
            "Rscript",
            "-");
    System.out.println("[rspark-e2e] R output:\n" + out);
    return out;
  }

  /** Counts, a SparkR dapply (R on executors), spark.lapply and where it ran. */
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
      hosts <- unique(unlist(spark.lapply(1:20, function(i) Sys.info()[["nodename"]])))
      cat(paste0("HOST ", hosts, "\\n"), sep = "")
      cat("SPARKR_OK\\n")
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
}
