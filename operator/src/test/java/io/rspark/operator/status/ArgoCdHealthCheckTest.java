package io.rspark.operator.status;

import static io.rspark.operator.testing.PodFixtures.cluster;
import static io.rspark.operator.testing.PodFixtures.driver;
import static io.rspark.operator.testing.PodFixtures.observed;
import static io.rspark.operator.testing.PodFixtures.workers;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.pods.PodBackoff;
import io.rspark.operator.pods.PodPlan;
import io.rspark.operator.pods.PodPlanner;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.testing.PodFixtures;
import io.rspark.operator.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The Argo CD health check of docs/operations.md, run by a Lua interpreter (luaj) against clusters
 * whose status comes from {@link ClusterStatusFactory}, as the operator writes it.
 */
class ArgoCdHealthCheckTest {
  private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
  private static final String BEGIN = "<!-- argocd-health:begin -->\n```lua\n";
  private static final String END = "```\n<!-- argocd-health:end -->";

  private final String script = script();

  @Test
  void aReadyClusterIsHealthy() {
    RSparkCluster cluster = withStatus(cluster(2), observed(2, "d w0 w1"));

    assertThat(health(cluster)).containsEntry("status", "Healthy");
  }

  @Test
  void startingAndScalingClustersAreProgressing() {
    RSparkCluster starting =
        withStatus(cluster(2), observed(2, "d:nostatus w0:nostatus w1:nostatus"));
    RSparkCluster scaling = withStatus(cluster(3), observed(2, "d w0 w1"));

    assertThat(health(starting))
        .containsEntry("status", "Progressing")
        .containsEntry("message", said(starting, "Reconciling"))
        .hasEntrySatisfying("message", m -> assertThat(m).startsWith("DriverNotReady: "));
    assertThat(health(scaling))
        .containsEntry("status", "Progressing")
        .hasEntrySatisfying("message", m -> assertThat(m).startsWith("Scaling: "));
  }

  @Test
  void stalledClustersAreDegradedWithTheReason() {
    RSparkCluster crashing = withStatus(cluster(1), observed(1, "d w0:crashloop"));
    RSparkCluster invalid = cluster(1);
    invalid.setStatus(
        ClusterStatusFactory.invalidSpec(
            invalid, "InvalidSparkConf", "spark.master is the operator's", List.of(), NOW));

    assertThat(health(crashing))
        .containsEntry("status", "Degraded")
        .hasEntrySatisfying("message", m -> assertThat(m).startsWith("CrashLoopBackOff: "));
    assertThat(health(invalid))
        .containsEntry("status", "Degraded")
        .containsEntry("message", said(invalid, "Stalled"))
        .hasEntrySatisfying("message", m -> assertThat(m).startsWith("InvalidSparkConf: "));
  }

  @Test
  void aStatusOfAnOlderGenerationOrNoneIsProgressing() {
    RSparkCluster stale = withStatus(cluster(2), observed(2, "d w0 w1"));
    stale.getMetadata().setGeneration(stale.getStatus().observedGeneration + 1);
    RSparkCluster fresh = cluster(2);

    assertThat(health(stale))
        .containsEntry("status", "Progressing")
        .containsEntry(
            "message",
            "Waiting for the operator to observe generation "
                + stale.getMetadata().getGeneration());
    assertThat(health(fresh)).containsEntry("status", "Progressing");
  }

  private Map<String, String> health(RSparkCluster cluster) {
    Globals globals = JsePlatform.standardGlobals();
    JsonNode json = Serialization.jsonMapper().valueToTree(cluster);
    globals.set("obj", lua(json));
    LuaValue result = globals.load(script, "health.lua").call();
    assertThat(result.istable()).as("the script returns a table").isTrue();
    return Map.of(
        "status", result.get("status").tojstring(), "message", result.get("message").tojstring());
  }

  /** JSON as Argo CD hands it to Lua: objects and arrays as tables, numbers as numbers. */
  private static LuaValue lua(JsonNode node) {
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      node.properties().forEach(e -> table.set(e.getKey(), lua(e.getValue())));
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, lua(node.get(i)));
      }
      return table;
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.asDouble());
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.asBoolean());
    }
    if (node.isNull()) {
      return LuaValue.NIL;
    }
    return LuaValue.valueOf(node.asText());
  }

  private static RSparkCluster withStatus(RSparkCluster cluster, Map<String, Pod> pods) {
    ClusterModel model = ClusterModel.of(cluster, PodFixtures.IMAGE);
    PodPlan plan =
        PodPlanner.plan(
            driver(model), workers(model), pods, new PodBackoff(Duration.ofMinutes(5)), "ns/", NOW);
    cluster.setStatus(ClusterStatusFactory.of(cluster, model, pods.values(), plan, NOW));
    return cluster;
  }

  /** "reason: message" of the cluster's condition {@code type}. */
  private static String said(RSparkCluster cluster, String type) {
    var condition =
        cluster.getStatus().conditions.stream()
            .filter(c -> c.getType().equals(type))
            .findFirst()
            .orElseThrow();
    return condition.getReason() + ": " + condition.getMessage();
  }

  private static String script() {
    try {
      String doc = Files.readString(RepoPaths.root().resolve("docs/operations.md"));
      int begin = doc.indexOf(BEGIN);
      int end = doc.indexOf(END);
      assertThat(begin).as("the Lua block in docs/operations.md").isNotNegative();
      assertThat(end).isGreaterThan(begin);
      return doc.substring(begin + BEGIN.length(), end);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
