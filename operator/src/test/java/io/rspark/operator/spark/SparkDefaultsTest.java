package io.rspark.operator.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.rspark.operator.api.ComputeResources;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.resources.AuthSecretFactory;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.testing.TestClusters;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SparkDefaultsTest {
  private static final String MASTER = "spark://spark-driver.ns.svc:7077";
  private static final ContainerSizing WORKER = new ContainerSizing("2", null, "16Gi");

  @Test
  void operatorKeysWithWorkers() {
    Map<String, String> conf =
        SparkDefaults.merge(SparkLine.SPARK_3_5, MASTER, WORKER, 3, false, Map.of());

    assertThat(conf)
        .containsExactly(
            Map.entry("spark.master", MASTER),
            Map.entry("spark.authenticate", "true"),
            Map.entry("spark.r.command", "/opt/rspark/bin/rspark-r"),
            Map.entry("spark.ui.port", "4040"),
            Map.entry("spark.network.crypto.enabled", "true"),
            Map.entry("spark.executor.memory", "9830m"),
            Map.entry("spark.worker.cleanup.enabled", "true"),
            Map.entry("spark.decommission.enabled", "true"),
            Map.entry("spark.master.ui.decommission.allow.mode", "ALLOW"),
            Map.entry("spark.storage.decommission.enabled", "true"),
            Map.entry("spark.storage.decommission.rddBlocks.enabled", "true"),
            Map.entry("spark.storage.decommission.shuffleBlocks.enabled", "true"));
  }

  @Test
  void autoscaledWorkersReleaseIdleExecutors() {
    Map<String, String> conf =
        SparkDefaults.merge(SparkLine.SPARK_3_5, MASTER, WORKER, 2, true, Map.of());
    assertThat(conf)
        .containsEntry("spark.dynamicAllocation.enabled", "true")
        .containsEntry("spark.dynamicAllocation.shuffleTracking.enabled", "true")
        .containsEntry("spark.dynamicAllocation.executorIdleTimeout", "60s")
        .containsEntry("spark.dynamicAllocation.shuffleTracking.timeout", "60s")
        .containsEntry("spark.executor.decommission.forceKillTimeout", "2m");
    assertThat(SparkDefaults.merge(SparkLine.SPARK_3_5, MASTER, WORKER, 2, false, Map.of()))
        .doesNotContainKey("spark.dynamicAllocation.enabled");
    assertThat(
            SparkDefaults.merge(
                SparkLine.SPARK_3_5,
                MASTER,
                WORKER,
                2,
                true,
                Map.of("spark.dynamicAllocation.executorIdleTimeout", "5m")))
        .as("the user's sparkConf wins")
        .containsEntry("spark.dynamicAllocation.executorIdleTimeout", "5m");
  }

  @Test
  void operatorKeysOfASingleNodeCluster() {
    Map<String, String> conf =
        SparkDefaults.merge(SparkLine.SPARK_3_5, "local[*]", WORKER, 0, false, Map.of());

    assertThat(conf)
        .containsExactly(
            Map.entry("spark.master", "local[*]"),
            Map.entry("spark.authenticate", "true"),
            Map.entry("spark.r.command", "/opt/rspark/bin/rspark-r"),
            Map.entry("spark.ui.port", "4040"),
            Map.entry("spark.network.crypto.enabled", "true"));
  }

  @Test
  void executorMemoryFollowsTheWorkerSizing() {
    assertThat(
            SparkDefaults.merge(
                SparkLine.SPARK_3_5,
                MASTER,
                ContainerSizing.of(new ComputeResources("1", "4G")),
                1,
                false,
                Map.of()))
        .containsEntry("spark.executor.memory", "2288m");
    assertThat(
            SparkDefaults.merge(
                SparkLine.SPARK_3_5, MASTER, ContainerSizing.of(null), 1, false, Map.of()))
        .containsEntry("spark.executor.memory", "1228m");
  }

  @Test
  void userKeysComeAfterTheOperatorsSorted() {
    Map<String, String> user = new LinkedHashMap<>();
    user.put("spark.sql.shuffle.partitions", "64");
    user.put("spark.app.name", "analytics");
    user.put("spark.executorEnv.TZ", "UTC");

    assertThat(SparkDefaults.merge(SparkLine.SPARK_3_5, MASTER, WORKER, 2, false, user).keySet())
        .containsExactly(
            "spark.master",
            "spark.authenticate",
            "spark.r.command",
            "spark.ui.port",
            "spark.network.crypto.enabled",
            "spark.executor.memory",
            "spark.worker.cleanup.enabled",
            "spark.decommission.enabled",
            "spark.master.ui.decommission.allow.mode",
            "spark.storage.decommission.enabled",
            "spark.storage.decommission.rddBlocks.enabled",
            "spark.storage.decommission.shuffleBlocks.enabled",
            "spark.app.name",
            "spark.executorEnv.TZ",
            "spark.sql.shuffle.partitions");
  }

  @Test
  void userValuesOfOverridableKeysWinAndKeepTheirPlace() {
    Map<String, String> user = new LinkedHashMap<>();
    user.put("spark.worker.cleanup.enabled", "false");
    user.put("spark.network.crypto.enabled", "false");
    user.put("spark.executor.memory", "4g");
    user.put("spark.storage.decommission.shuffleBlocks.enabled", "false");
    user.put("spark.app.name", "analytics");

    assertThat(SparkDefaults.merge(SparkLine.SPARK_3_5, MASTER, WORKER, 2, false, user))
        .containsExactly(
            Map.entry("spark.master", MASTER),
            Map.entry("spark.authenticate", "true"),
            Map.entry("spark.r.command", "/opt/rspark/bin/rspark-r"),
            Map.entry("spark.ui.port", "4040"),
            Map.entry("spark.network.crypto.enabled", "false"),
            Map.entry("spark.executor.memory", "4g"),
            Map.entry("spark.worker.cleanup.enabled", "false"),
            Map.entry("spark.decommission.enabled", "true"),
            Map.entry("spark.master.ui.decommission.allow.mode", "ALLOW"),
            Map.entry("spark.storage.decommission.enabled", "true"),
            Map.entry("spark.storage.decommission.rddBlocks.enabled", "true"),
            Map.entry("spark.storage.decommission.shuffleBlocks.enabled", "false"),
            Map.entry("spark.app.name", "analytics"));
  }

  @Test
  void theOrderOfTheUsersMapDoesNotChangeTheText() {
    Map<String, String> one = new LinkedHashMap<>();
    one.put("spark.b", "2");
    one.put("spark.a", "1");
    Map<String, String> other = new LinkedHashMap<>();
    other.put("spark.a", "1");
    other.put("spark.b", "2");

    assertThat(
            SparkDefaults.render(
                SparkDefaults.merge(SparkLine.SPARK_3_5, MASTER, WORKER, 1, false, one)))
        .isEqualTo(
            SparkDefaults.render(
                SparkDefaults.merge(SparkLine.SPARK_3_5, MASTER, WORKER, 1, false, other)));
  }

  @Test
  void renderedText() {
    assertThat(
            SparkDefaults.render(
                SparkDefaults.merge(
                    SparkLine.SPARK_3_5,
                    "local[*]",
                    WORKER,
                    0,
                    false,
                    Map.of("spark.app.name", "r"))))
        .isEqualTo(
            """
            # Written by rspark-operator; edit spec.sparkConf instead.
            spark.master local[*]
            spark.authenticate true
            spark.r.command /opt/rspark/bin/rspark-r
            spark.ui.port 4040
            spark.network.crypto.enabled true
            spark.app.name r
            """);
  }

  /** Values as Spark gets them: spark-defaults.conf is read as a Java properties file. */
  static Stream<Arguments> values() {
    return Stream.of(
        Arguments.of("plain", "64"),
        Arguments.of("spaces inside", "-Da=b -Dc=d"),
        Arguments.of("separators", "a=b:c d"),
        Arguments.of("comment characters", "#not-a-comment !nor-this"),
        Arguments.of("a URL", "http://minio:9000/bucket?x=1&y=2"),
        Arguments.of("a regular expression", "(?i)\\bsecret\\b|token"),
        Arguments.of("a Windows path", "C:\\temp\\new"),
        Arguments.of("a unicode escape", "\\u0041"),
        Arguments.of("a trailing backslash", "ends with \\"),
        Arguments.of("non-ASCII", "Zürich ☃"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("values")
  void sparkReadsBackTheValuesGiven(String situation, String value) throws IOException {
    Map<String, String> user = new LinkedHashMap<>();
    user.put("spark.a.value", value);
    user.put("spark.b.after", "kept");
    Map<String, String> conf =
        SparkDefaults.merge(SparkLine.SPARK_3_5, MASTER, WORKER, 2, false, user);

    // What the image makes of the file: the secret appended, read by Spark as properties.
    String effective = SparkDefaults.render(conf) + "spark.authenticate.secret 0123abcd\n";
    Properties read = new Properties();
    read.load(new StringReader(effective));

    Map<String, String> expected = new LinkedHashMap<>(conf);
    expected.put("spark.authenticate.secret", "0123abcd");
    assertThat(asMap(read)).isEqualTo(expected);
  }

  @Test
  void aValueEndingInABackslashCannotSwallowTheSecretTheImageAppends() throws IOException {
    Map<String, String> conf =
        SparkDefaults.merge(
            SparkLine.SPARK_3_5, MASTER, WORKER, 2, false, Map.of("spark.zzz.last", "x\\"));
    String effective = SparkDefaults.render(conf) + "spark.authenticate.secret 0123abcd\n";
    Properties read = new Properties();
    read.load(new StringReader(effective));

    assertThat(read.getProperty("spark.zzz.last")).isEqualTo("x\\");
    assertThat(read.getProperty("spark.authenticate.secret")).isEqualTo("0123abcd");
  }

  @Test
  void noSecretInTheRenderedText() {
    RSparkCluster cluster = TestClusters.cluster("spark", 2);
    cluster.getMetadata().setNamespace("ns");
    cluster.getSpec().sparkConf.put("spark.app.name", "analytics");
    ClusterModel model = ClusterModel.of(cluster, "img:1");
    Secret secret = AuthSecretFactory.create(model);
    String value =
        new String(
            Base64.getDecoder().decode(secret.getData().values().iterator().next()),
            StandardCharsets.UTF_8);

    for (ClusterModel m : List.of(model, ClusterModel.of(TestClusters.cluster("solo", 0), "i"))) {
      assertThat(m.sparkDefaultsConf()).doesNotContainIgnoringCase("secret").doesNotContain(value);
    }
  }

  private static Map<String, String> asMap(Properties properties) {
    Map<String, String> map = new LinkedHashMap<>();
    properties.stringPropertyNames().forEach(k -> map.put(k, properties.getProperty(k)));
    return map;
  }
}
