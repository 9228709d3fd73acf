package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.rspark.operator.api.AutoscalingSpec;
import io.rspark.operator.api.ComputeResources;
import io.rspark.operator.api.DriverSpec;
import io.rspark.operator.api.OperatorOwnedSparkConf;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.spark.ContainerSizing;
import io.rspark.operator.spark.SparkDefaults;
import io.rspark.operator.spark.SparkLine;
import io.rspark.operator.testing.TestClusters;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class SpecValidatorTest {
  private static final String NAME_56 = "s" + "-x".repeat(27) + "y";
  private static final String NAME_57 = NAME_56 + "c";

  /** One problem per spec: the reason and a fragment of its message. */
  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        // metadata.name
        bad("upper-case name", c -> rename(c, "Spark"), "InvalidName", "metadata.name 'Spark'"),
        bad(
            "name of 57 characters",
            c -> rename(c, NAME_57),
            "InvalidName",
            "at most 56 characters"),
        bad("name starting with a digit", c -> rename(c, "1spark"), "InvalidName", "'1spark'"),
        bad("name ending with '-'", c -> rename(c, "spark-"), "InvalidName", "'spark-'"),
        bad("name with a dot", c -> rename(c, "spark.one"), "InvalidName", "'spark.one'"),
        bad(
            "name with '_'",
            c -> rename(c, "spark_one"),
            "InvalidName",
            "must start with a letter"),
        // spec.image without spec.sparkVersion (CEL on 1.25+, this validator everywhere)
        bad(
            "an image without its Spark line",
            c -> c.getSpec().sparkVersion = null,
            "SparkVersionRequired",
            "spec.image needs spec.sparkVersion: the Spark line of that image, 3.5 or 4.2"),
        bad(
            "SPARK_SCALA_VERSION, which the line decides",
            c -> c.getSpec().env = List.of(new EnvVar("SPARK_SCALA_VERSION", "2.13", null)),
            "ReservedEnv",
            "env 'SPARK_SCALA_VERSION' is set by the operator"),
        // workers.autoscaling (CEL on 1.25+, this validator everywhere)
        bad(
            "autoscaling minReplicas above maxReplicas",
            c -> c.getSpec().workers.autoscaling = new AutoscalingSpec(4, 2, "5m"),
            "InvalidAutoscaling",
            "workers.autoscaling.minReplicas 4 is above maxReplicas 2"),
        bad(
            "autoscaling with an empty scaleDownDelay",
            c -> c.getSpec().workers.autoscaling = new AutoscalingSpec(1, 2, ""),
            "InvalidAutoscaling",
            "scaleDownDelay must not be empty"),
        // sparkConf
        bad(
            "key without spark.",
            conf("executor.memory", "2g"),
            "InvalidSparkConf",
            "sparkConf key 'executor.memory' must start with 'spark.'"),
        bad(
            "owned key spark.master",
            conf("spark.master", "local[2]"),
            "OperatorOwnedSparkConf",
            "sparkConf key 'spark.master' is set by the operator"),
        bad(
            "owned key spark.submit.deployMode",
            conf("spark.submit.deployMode", "cluster"),
            "OperatorOwnedSparkConf",
            "'spark.submit.deployMode' is set by the operator"),
        bad(
            "owned key spark.authenticate",
            conf("spark.authenticate", "false"),
            "OperatorOwnedSparkConf",
            "'spark.authenticate' is set by the operator"),
        bad(
            "owned key spark.r.command",
            conf("spark.r.command", "/usr/bin/Rscript"),
            "OperatorOwnedSparkConf",
            "'spark.r.command' is set by the operator"),
        bad(
            "owned key spark.driver.host",
            conf("spark.driver.host", "example.org"),
            "OperatorOwnedSparkConf",
            "'spark.driver.host' is set by the operator"),
        bad(
            "owned key spark.driver.bindAddress",
            conf("spark.driver.bindAddress", "0.0.0.0"),
            "OperatorOwnedSparkConf",
            "'spark.driver.bindAddress' is set by the operator"),
        bad(
            "owned key spark.ui.port",
            conf("spark.ui.port", "4041"),
            "OperatorOwnedSparkConf",
            "'spark.ui.port' is set by the operator"),
        bad(
            "owned prefix spark.authenticate.",
            conf("spark.authenticate.secret", "hunter2"),
            "OperatorOwnedSparkConf",
            "sparkConf keys under 'spark.authenticate.' are set by the operator"
                + " (got 'spark.authenticate.secret')"),
        bad(
            "owned prefix spark.kubernetes.",
            conf("spark.kubernetes.namespace", "x"),
            "OperatorOwnedSparkConf",
            "under 'spark.kubernetes.'"),
        bad(
            "value with a newline",
            conf("spark.sql.warehouse.dir", "/tmp\nspark.authenticate false"),
            "InvalidSparkConf",
            "sparkConf value of 'spark.sql.warehouse.dir' must be a single line of text"),
        bad(
            "value with a carriage return",
            conf("spark.app.name", "a\rb"),
            "InvalidSparkConf",
            "must be a single line of text"),
        bad("null value", conf("spark.app.name", null), "InvalidSparkConf", "single line"),
        // A key is written as the first word of a spark-defaults.conf line, which Spark reads as a
        // Java properties file: whitespace, '=', ':' and '\' would end or rewrite it.
        bad(
            "key with a newline injecting an owned key",
            conf("spark.app.name x\nspark.authenticate", "false"),
            "InvalidSparkConf",
            "must not contain"),
        bad(
            "key with a space",
            conf("spark.app.name x", "y"),
            "InvalidSparkConf",
            "'spark.app.name x' must not contain"),
        bad(
            "key with a tab",
            conf("spark.app.name\tx", "y"),
            "InvalidSparkConf",
            "must not contain"),
        bad(
            "key with '='",
            conf("spark.master=local", "y"),
            "InvalidSparkConf",
            "must not contain"),
        bad(
            "key with ':'",
            conf("spark.master:local", "y"),
            "InvalidSparkConf",
            "must not contain"),
        bad("key with '\\'", conf("spark.a\\u0020b", "y"), "InvalidSparkConf", "must not contain"),
        // env
        bad("env RSPARK_X", env(var("RSPARK_X", "1")), "ReservedEnv", "env 'RSPARK_X' is set"),
        bad(
            "env RSPARK_ROLE",
            env(var("RSPARK_ROLE", "driver")),
            "ReservedEnv",
            "see docs/pod-contract.md"),
        bad(
            "env SPARK_CONF_DIR",
            env(var("SPARK_CONF_DIR", "/x")),
            "ReservedEnv",
            "SPARK_CONF_DIR"),
        bad(
            "env SPARK_WORKER_CORES",
            env(var("SPARK_WORKER_CORES", "8")),
            "ReservedEnv",
            "SPARK_WORKER_CORES"),
        bad(
            "env SPARK_WORKER_MEMORY",
            env(var("SPARK_WORKER_MEMORY", "8g")),
            "ReservedEnv",
            "SPARK_WORKER_MEMORY"),
        bad(
            "env SPARK_WORKER_DIR",
            env(var("SPARK_WORKER_DIR", "/x")),
            "ReservedEnv",
            "SPARK_WORKER_DIR"),
        bad(
            "env SPARK_LOCAL_DIRS",
            env(var("SPARK_LOCAL_DIRS", "/x")),
            "ReservedEnv",
            "SPARK_LOCAL_DIRS"),
        bad(
            "env given twice",
            env(var("FOO", "1"), var("FOO", "2")),
            "InvalidEnv",
            "env 'FOO' is given more than once"),
        bad(
            "env with an empty name",
            env(var("", "1")),
            "InvalidEnv",
            "every env entry needs a name"),
        bad("env without a name", env(var(null, "1")), "InvalidEnv", "needs a name"),
        bad(
            "env name with a space",
            env(var("MY VAR", "1")),
            "InvalidEnv",
            "env name 'MY VAR' must be letters, digits, '_', '-' and '.'"),
        bad("env name starting with a digit", env(var("1ST", "1")), "InvalidEnv", "'1ST'"),
        // r
        bad(
            "an R package listed twice",
            c -> c.getSpec().r.packages = List.of("dplyr", "xgboost", "dplyr"),
            "InvalidR",
            "r.packages lists 'dplyr' more than once"),
        bad(
            "a repository listed twice",
            c -> c.getSpec().r.repos = List.of("https://a.example", "https://a.example"),
            "InvalidR",
            "r.repos lists 'https://a.example' more than once"),
        bad(
            "a label value with spaces",
            c -> c.getSpec().podLabels.put("team", "data science"),
            "InvalidLabel",
            "podLabels value of 'team' must be at most 63"),
        bad(
            "a nodeSelector key with two slashes",
            c -> c.getSpec().nodeSelector.put("a/b/c", "x"),
            "InvalidLabel",
            "nodeSelector key 'a/b/c' is not a valid label key"),
        // podLabels, podAnnotations
        bad(
            "label under rspark.io/",
            c -> c.getSpec().podLabels.put("rspark.io/role", "x"),
            "ReservedLabel",
            "podLabels key 'rspark.io/role' is under 'rspark.io/', which the operator owns"),
        bad(
            "label under app.kubernetes.io/",
            c -> c.getSpec().podLabels.put("app.kubernetes.io/name", "x"),
            "ReservedLabel",
            "podLabels key 'app.kubernetes.io/name' is under 'app.kubernetes.io/'"),
        bad(
            "annotation under rspark.io/",
            c -> c.getSpec().podAnnotations.put("rspark.io/spec-hash", "x"),
            "ReservedLabel",
            "podAnnotations key 'rspark.io/spec-hash' is under 'rspark.io/'"),
        // resources
        bad(
            "driver memory below 1Gi",
            driver("1", "512Mi"),
            "InsufficientMemory",
            "driver.resources.memory 512Mi is below the 1Gi"),
        bad(
            "driver memory 1G (decimal) is below 1Gi",
            driver("1", "1G"),
            "InsufficientMemory",
            "driver.resources.memory 1G is below the 1Gi"),
        bad("driver memory 1023Mi", driver("1", "1023Mi"), "InsufficientMemory", "1023Mi is below"),
        bad(
            "worker memory below 1Gi with workers",
            workers(2, "1", "900Mi"),
            "InsufficientMemory",
            "workers.resources.memory 900Mi is below the 1Gi"),
        bad(
            "driver cpuLimit below cpu",
            driverLimit("2", "1500m"),
            "InvalidResources",
            "driver.resources.cpuLimit 1500m is below cpu 2"),
        bad(
            "driver cpuLimit below the default cpu",
            driverLimit(null, "0.5"),
            "InvalidResources",
            "driver.resources.cpuLimit 0.5 is below cpu 1"),
        bad(
            "worker cpuLimit below cpu",
            c -> {
              c.getSpec().workers.resources = new ComputeResources("2", "2Gi");
              c.getSpec().workers.resources.cpuLimit = new Quantity("1");
            },
            "InvalidResources",
            "workers.resources.cpuLimit 1 is below cpu 2"),
        bad(
            "driver cpu 0",
            driver("0", "2Gi"),
            "InvalidResources",
            "driver.resources.cpu must be above 0"),
        bad("driver cpu 0m", driver("0m", "2Gi"), "InvalidResources", "must be above 0"),
        bad(
            "worker cpu 0",
            workers(1, "0", "2Gi"),
            "InvalidResources",
            "workers.resources.cpu must be above 0"),
        bad(
            "unreadable memory",
            driver("1", "lots"),
            "InvalidResources",
            "driver.resources holds a quantity Kubernetes cannot read"),
        bad(
            "unreadable cpu",
            workers(1, "1.5.5", "2Gi"),
            "InvalidResources",
            "workers.resources holds a quantity Kubernetes cannot read"));
  }

  @Test
  void namesOfTheTableHaveTheLengthsTheySay() {
    assertThat(NAME_56).hasSize(56);
    assertThat(NAME_57).hasSize(57);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void refusesWithAReason(
      String situation, Consumer<RSparkCluster> change, String reason, String fragment) {
    RSparkCluster cluster = TestClusters.cluster("spark", 2);
    change.accept(cluster);

    assertThat(SpecValidator.validate(cluster))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.reason()).isEqualTo(reason);
              assertThat(p.message()).contains(fragment);
            });
  }

  static Stream<Arguments> validSpecs() {
    return Stream.of(
        good("the test cluster", c -> {}),
        good("single node", c -> c.getSpec().workers.replicas = 0),
        good("no workers section", c -> c.getSpec().workers = null),
        good("no driver section", c -> c.getSpec().driver = null),
        good("name of 56 characters", c -> rename(c, NAME_56)),
        good("one-letter name", c -> rename(c, "a")),
        good("name with digits and dashes", c -> rename(c, "team-7-spark2")),
        good(
            "user Spark properties",
            c -> {
              c.getSpec().sparkConf.put("spark.sql.shuffle.partitions", "64");
              c.getSpec().sparkConf.put("spark.executorEnv.R_LIBS_USER", "/opt/r/lib");
              c.getSpec().sparkConf.put("spark.hadoop.fs.s3a.endpoint", "http://minio:9000");
              c.getSpec().sparkConf.put("spark.driver.extraJavaOptions", "-Da=b -Dc=d");
            }),
        good(
            "overridable operator defaults",
            c -> {
              c.getSpec().sparkConf.put("spark.network.crypto.enabled", "false");
              c.getSpec().sparkConf.put("spark.executor.memory", "512m");
              c.getSpec().sparkConf.put("spark.worker.cleanup.enabled", "false");
            }),
        good(
            "keys resembling owned ones",
            c -> {
              c.getSpec().sparkConf.put("spark.authenticateX", "1");
              c.getSpec().sparkConf.put("spark.ui.port.extra", "1");
              c.getSpec().sparkConf.put("spark.kubernetesish", "1");
            }),
        good(
            "user env",
            c -> {
              c.getSpec().env.add(var("FOO", "1"));
              c.getSpec().env.add(var("SPARK_HOME_EXTRA", "1"));
              c.getSpec().env.add(var("RSPARKLING", "1"));
            }),
        good(
            "labels and annotations outside the reserved prefixes",
            c -> {
              c.getSpec().podLabels.put("team", "data");
              c.getSpec().podLabels.put("example.com/rspark.io", "x");
              c.getSpec().podAnnotations.put("app.kubernetes.io/version", "1");
              c.getSpec().podAnnotations.put("prometheus.io/scrape", "true");
            }),
        good("driver memory exactly 1Gi", driver("1", "1Gi")),
        good("driver memory 1024Mi", driver("500m", "1024Mi")),
        good("driver memory in bytes", driver("1", "1073741824")),
        good("driver memory 1.5Gi", driver("1", "1.5Gi")),
        good("large sizes", driver("64", "512Gi")),
        good(
            "small worker memory without workers",
            c -> {
              c.getSpec().workers.replicas = 0;
              c.getSpec().workers.resources = new ComputeResources("0", "256Mi");
            }),
        good("cpuLimit equal to cpu", driverLimit("1000m", "1")),
        good("cpuLimit above cpu", driverLimit("500m", "2")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validSpecs")
  void acceptsValidSpecs(String situation, Consumer<RSparkCluster> change) {
    RSparkCluster cluster = TestClusters.cluster("spark", 2);
    change.accept(cluster);

    assertThat(SpecValidator.validate(cluster)).isEmpty();
  }

  @Test
  void everyOwnedKeyIsRefused() {
    for (String key : OperatorOwnedSparkConf.KEYS) {
      RSparkCluster cluster = TestClusters.cluster("spark", 1);
      cluster.getSpec().sparkConf.put(key, "x");
      assertThat(SpecValidator.validate(cluster))
          .as(key)
          .extracting(SpecProblem::reason)
          .containsExactly("OperatorOwnedSparkConf");
    }
  }

  @Test
  void reportsEveryProblemInSpecOrder() {
    RSparkCluster cluster = TestClusters.cluster("Bad", 1);
    cluster.getSpec().sparkConf.put("spark.master", "local\n");
    cluster.getSpec().env.add(var("RSPARK_ROLE", "x"));
    cluster.getSpec().env.add(var("A", "1"));
    cluster.getSpec().env.add(var("A", "2"));
    cluster.getSpec().podLabels.put("rspark.io/x", "1");
    cluster.getSpec().podAnnotations.put("rspark.io/y", "1");
    cluster.getSpec().driver.resources = new ComputeResources("0", "512Mi");
    cluster.getSpec().workers.resources = new ComputeResources("1", "1G");

    assertThat(SpecValidator.validate(cluster))
        .extracting(SpecProblem::reason)
        .containsExactly(
            "InvalidName",
            "OperatorOwnedSparkConf",
            "InvalidSparkConf",
            "ReservedEnv",
            "InvalidEnv",
            "ReservedLabel",
            "ReservedLabel",
            "InsufficientMemory",
            "InvalidResources",
            "InsufficientMemory");
  }

  /**
   * Whatever sparkConf the validator lets through, Spark reads from the rendered
   * spark-defaults.conf exactly the operator's keys and the user's, with their values: no entry can
   * rewrite another.
   */
  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          spark.sql.shuffle.partitions              | 64
          spark.executorEnv.PATH                    | /opt/r/bin:/usr/bin
          spark.driver.extraJavaOptions             | -Da=b -Dc=d
          spark.zzz                                 | "ends with \\\\"
          spark.a                                   | "C:\\\\temp\\\\new"
          "spark.app.name x\\nspark.authenticate"   | false
          "spark.app.name\\rspark.master"           | local
          "spark.app.name\\tspark.master"           | local
          spark.app.name=spark.authenticate         | false
          spark.app.name:spark.master               | local
          "spark.app.name spark.authenticate"       | false
          "spark.x\\\\\\nspark.authenticate"        | false
          spark.app.name                            | "x\\nspark.authenticate false"
          """)
  void acceptedSparkConfReachesSparkUnaltered(String key, String value) throws IOException {
    String k = unescape(key);
    String v = unescape(value);
    RSparkCluster cluster = TestClusters.cluster("spark", 2);
    cluster.getSpec().sparkConf.put(k, v);
    if (!SpecValidator.validate(cluster).isEmpty()) {
      return;
    }
    Map<String, String> merged =
        SparkDefaults.merge(
            SparkLine.SPARK_3_5,
            "spark://m:7077",
            ContainerSizing.of(null),
            2,
            false,
            Map.of(k, v));
    Properties read = new Properties();
    read.load(new StringReader(SparkDefaults.render(merged) + "spark.authenticate.secret s\n"));

    Map<String, String> expected = new TreeMap<>(merged);
    expected.put("spark.authenticate.secret", "s");
    Map<String, String> actual = new TreeMap<>();
    read.stringPropertyNames().forEach(n -> actual.put(n, read.getProperty(n)));
    assertThat(actual).isEqualTo(expected);
  }

  /** The table's backslash escapes (n, r, t and the backslash) as the characters they name. */
  private static String unescape(String text) {
    return text.replace("\\\\", "\u0000")
        .replace("\\n", "\n")
        .replace("\\r", "\r")
        .replace("\\t", "\t")
        .replace("\u0000", "\\");
  }

  private static Arguments bad(
      String situation, Consumer<RSparkCluster> change, String reason, String fragment) {
    return Arguments.of(situation, change, reason, fragment);
  }

  private static Arguments good(String situation, Consumer<RSparkCluster> change) {
    return Arguments.of(situation, change);
  }

  private static void rename(RSparkCluster cluster, String name) {
    cluster.getMetadata().setName(name);
  }

  private static Consumer<RSparkCluster> conf(String key, String value) {
    return c -> c.getSpec().sparkConf.put(key, value);
  }

  private static Consumer<RSparkCluster> env(EnvVar... vars) {
    return c -> c.getSpec().env.addAll(List.of(vars));
  }

  private static EnvVar var(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static Consumer<RSparkCluster> driver(String cpu, String memory) {
    return c -> {
      c.getSpec().driver = new DriverSpec();
      c.getSpec().driver.resources = new ComputeResources(cpu, memory);
    };
  }

  private static Consumer<RSparkCluster> driverLimit(String cpu, String cpuLimit) {
    return c -> {
      c.getSpec().driver.resources = new ComputeResources(cpu, null);
      c.getSpec().driver.resources.cpuLimit = cpuLimit == null ? null : new Quantity(cpuLimit);
    };
  }

  private static Consumer<RSparkCluster> workers(int replicas, String cpu, String memory) {
    return c -> {
      c.getSpec().workers.replicas = replicas;
      c.getSpec().workers.resources = new ComputeResources(cpu, memory);
    };
  }
}
