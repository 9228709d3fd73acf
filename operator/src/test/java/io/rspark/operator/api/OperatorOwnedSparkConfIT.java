package io.rspark.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java list of operator-owned Spark keys and the CEL rule the CRD carries are the same rule:
 * evaluated with dev.cel on every listed key, on keys under every prefix, on every string literal
 * of the CEL text (so a key only the CEL knows shows too) and on ordinary keys, the CEL verdict and
 * {@link OperatorOwnedSparkConf#refusal} agree.
 */
class OperatorOwnedSparkConfTest {
  private static CelRuntime.Program rule;

  @BeforeAll
  static void compile() throws Exception {
    Cel cel =
        CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", MapType.create(SimpleType.STRING, SimpleType.STRING))
            .build();
    rule = cel.createProgram(cel.compile(OperatorOwnedSparkConf.CEL_RULE).getAst());
  }

  static Stream<String> owned() {
    return Stream.concat(
        OperatorOwnedSparkConf.KEYS.stream(),
        OperatorOwnedSparkConf.PREFIXES.stream().flatMap(p -> Stream.of(p + "x", p + "a.b.c")));
  }

  @ParameterizedTest
  @MethodSource("owned")
  void ownedKeysAreRefusedByBoth(String key) throws Exception {
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
        "spark.master.rest.enabled",
        "spark.authenticatex",
        "spark.kubernetes",
        "spark.ui.portal",
        "spark.r.commandLine",
        "spark.driver.memory"
      })
  void ordinaryKeysPassBoth(String key) throws Exception {
    assertThat(celAllows(key)).as("CEL allows %s", key).isTrue();
    assertThat(OperatorOwnedSparkConf.refusal(key)).as("refusal(%s)", key).isEmpty();
  }

  /** Every literal in the CEL text, as a key and as a prefix: Java and CEL say the same. */
  @Test
  void celLiteralsAgreeWithJava() throws Exception {
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
    var sparkConf =
        CrdSchema.generated().openApiSchema().at("/properties/spec/properties/sparkConf");
    assertThat(sparkConf.path("x-kubernetes-validations").findValuesAsText("rule"))
        .contains(OperatorOwnedSparkConf.CEL_RULE);
    assertThat(sparkConf.path("x-kubernetes-validations").findValuesAsText("message"))
        .contains(OperatorOwnedSparkConf.CEL_MESSAGE);
  }

  @Test
  void refusalNamesTheKey() {
    assertThat(OperatorOwnedSparkConf.refusal("spark.kubernetes.namespace"))
        .hasValueSatisfying(r -> assertThat(r).contains("spark.kubernetes.namespace"));
    assertThat(OperatorOwnedSparkConf.refusal("spark.master"))
        .hasValueSatisfying(r -> assertThat(r).contains("spark.master"));
  }

  private static boolean celAllows(String key) throws Exception {
    return (Boolean) rule.eval(Map.of("self", Map.of(key, "v")));
  }
}
