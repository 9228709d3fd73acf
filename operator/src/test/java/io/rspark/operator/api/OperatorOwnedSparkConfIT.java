package io.rspark.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rspark.operator.testing.CrdKit;
import io.rspark.operator.testing.GeneratedCrd;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java list of operator-owned Spark keys and the CEL rule the CRD carries are the same rule: on
 * every listed key, on keys under every prefix, on every string literal of the CEL text (so a key
 * only the CEL knows shows too) and on ordinary keys, a Kubernetes 1.36 API server ({@link CrdKit})
 * and {@link OperatorOwnedSparkConf#refusal} agree.
 */
class OperatorOwnedSparkConfIT {
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static KubernetesClient client;

  @BeforeAll
  static void connect() {
    client = CrdKit.get().newClient();
  }

  @AfterAll
  static void close() {
    if (client != null) {
      client.close();
    }
  }

  static Stream<String> owned() {
    return Stream.concat(
        OperatorOwnedSparkConf.KEYS.stream(),
        OperatorOwnedSparkConf.PREFIXES.stream().flatMap(p -> Stream.of(p + "x", p + "a.b.c")));
  }

  @ParameterizedTest
  @MethodSource("owned")
  void ownedKeysAreRefusedByBoth(String key) {
    assertThat(celAllows(key)).as("CEL allows %s", key).isFalse();
    assertThat(OperatorOwnedSparkConf.refusal(key)).as("refusal(%s)", key).isPresent();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "spark.sql.shuffle.partitions",
        "spark.executor.memory",
        "spark.executor.memoryOverhead",
        "spark.eventLog.enabled",
        "spark.masterx",
        "spark.master.rest.port",
        "spark.authenticatex",
        "spark.kubernetes",
        "spark.ui.portal",
        "spark.r.commandLine",
        "spark.driver.memory"
      })
  void ordinaryKeysPassBoth(String key) {
    assertThat(celAllows(key)).as("CEL allows %s", key).isTrue();
    assertThat(OperatorOwnedSparkConf.refusal(key)).as("refusal(%s)", key).isEmpty();
  }

  /** Every literal in the CEL text, as a key and as a prefix: Java and CEL say the same. */
  @Test
  void celLiteralsAgreeWithJava() {
    Set<String> literals = new LinkedHashSet<>();
    Matcher m = Pattern.compile("'([^']*)'").matcher(OperatorOwnedSparkConf.CEL_RULE);
    while (m.find()) {
      literals.add(m.group(1));
      literals.add(m.group(1) + "x");
    }
    assertThat(literals).hasSizeGreaterThanOrEqualTo(2 * 9);
    for (String key : literals) {
      assertThat(OperatorOwnedSparkConf.refusal(key).isEmpty())
          .as("refusal(%s) agrees with CEL", key)
          .isEqualTo(celAllows(key));
    }
  }

  @Test
  void theCrdCarriesTheRuleWithItsMessage() {
    var sparkConf = GeneratedCrd.openApiSchema().at("/properties/spec/properties/sparkConf");
    assertThat(sparkConf.path("x-kubernetes-validations").findValuesAsText("rule"))
        .contains(OperatorOwnedSparkConf.CEL_RULE);
    assertThat(sparkConf.path("x-kubernetes-validations").findValuesAsText("message"))
        .contains(OperatorOwnedSparkConf.CEL_MESSAGE);
    assertThat(sparkConf.path("x-kubernetes-validations").findValuesAsText("messageExpression"))
        .contains(OperatorOwnedSparkConf.CEL_MESSAGE_EXPRESSION);
  }

  @Test
  void refusalNamesTheKey() {
    assertThat(OperatorOwnedSparkConf.refusal("spark.kubernetes.namespace"))
        .hasValueSatisfying(r -> assertThat(r).contains("spark.kubernetes.namespace"));
    assertThat(OperatorOwnedSparkConf.refusal("spark.master"))
        .hasValueSatisfying(r -> assertThat(r).contains("spark.master"));
  }

  /** Whether the server admits {@code sparkConf: {key: v}}; only the owned-keys rule can refuse. */
  private static boolean celAllows(String key) {
    RSparkCluster cluster = new RSparkCluster();
    cluster.getMetadata().setName("owned-" + NAMES.incrementAndGet());
    cluster.getMetadata().setNamespace("owned-spark-conf");
    cluster.getSpec().sparkConf.put(key, "v");
    try {
      client.resource(cluster).dryRun().create();
      return true;
    } catch (KubernetesClientException e) {
      assertThat(e.getStatus().getMessage())
          .contains("sparkConf key '" + key + "' is set by the operator");
      return false;
    }
  }
}
