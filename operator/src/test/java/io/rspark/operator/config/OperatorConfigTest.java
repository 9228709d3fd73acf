package io.rspark.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {
  @Test
  void defaultsApplyWhenNothingIsSet() {
    OperatorConfig config = new OperatorConfig(Map.of(), Map.of());

    assertThat(config.get(OperatorConfig.WATCH_NAMESPACES)).isEmpty();
    assertThat(config.get(OperatorConfig.RECONCILE_THREADS)).isEqualTo(10);
    assertThat(config.get(OperatorConfig.LEADER_ELECTION)).isTrue();
    assertThat(config.get(OperatorConfig.HEALTH_PORT)).isEqualTo(8081);
    assertThat(config.get(OperatorConfig.METRICS_PORT)).isEqualTo(8080);
    assertThat(config.get(OperatorConfig.INSTALL_CRDS)).isFalse();
    assertThat(config.get(OperatorConfig.POD_BACKOFF_MAX)).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.get(OperatorConfig.LOG_FORMAT)).isEqualTo("text");
  }

  @Test
  void aSparkLineTheOperatorDoesNotRunStopsItAtStartUpNamingTheLines() {
    OperatorConfig config =
        new OperatorConfig(Map.of(), Map.of("RSPARK_DEFAULT_SPARK_VERSION", "4.0"));
    assertThatThrownBy(config::validate)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rspark.default-spark-version")
        .hasMessageContaining("must be one of 3.5, 4.2");
    assertThat(
            new OperatorConfig(Map.of(), Map.of("RSPARK_IMAGE_SPARK_4_2", "r/x:4.2.0-r4"))
                .lineImage(OperatorConfig.IMAGE_SPARK_4_2))
        .as("the environment variable of rspark.image.spark-4.2")
        .isEqualTo("r/x:4.2.0-r4");
  }

  @Test
  void everyDefaultIsValid() {
    new OperatorConfig(Map.of(), Map.of()).validate();
  }

  @Test
  void environmentVariableOverridesTheDefault() {
    OperatorConfig config =
        new OperatorConfig(
            Map.of(),
            Map.of("RSPARK_RECONCILE_THREADS", "3", "RSPARK_WATCH_NAMESPACES", " a, b ,,c "));

    assertThat(config.get(OperatorConfig.RECONCILE_THREADS)).isEqualTo(3);
    assertThat(config.get(OperatorConfig.WATCH_NAMESPACES)).isEqualTo(Set.of("a", "b", "c"));
  }

  @Test
  void systemPropertyBeatsEnvironmentVariable() {
    OperatorConfig config =
        new OperatorConfig(
            Map.of("rspark.reconcile-threads", "4", "rspark.leader-election.enabled", "false"),
            Map.of("RSPARK_RECONCILE_THREADS", "7", "RSPARK_LEADER_ELECTION_ENABLED", "true"));

    assertThat(config.get(OperatorConfig.RECONCILE_THREADS)).isEqualTo(4);
    assertThat(config.get(OperatorConfig.LEADER_ELECTION)).isFalse();
  }

  @Test
  void envNamesAreUpperCaseWithUnderscores() {
    assertThat(OperatorConfig.LEADER_ELECTION_LEASE.envName())
        .isEqualTo("RSPARK_LEADER_ELECTION_LEASE_NAME");
    assertThat(OperatorConfig.POD_BACKOFF_MAX.envName()).isEqualTo("RSPARK_POD_BACKOFF_MAX");
  }

  @Test
  void badValueNamesTheOptionItsSourceAndWhatIsExpected() {
    OperatorConfig config =
        new OperatorConfig(Map.of(), Map.of("RSPARK_RECONCILE_THREADS", "zero"));

    assertThatThrownBy(config::validate)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid value 'zero' for rspark.reconcile-threads (from environment variable"
                + " RSPARK_RECONCILE_THREADS): not a whole number. Clusters reconciled in"
                + " parallel.");
  }

  @Test
  void badSystemPropertyIsReportedAsSuch() {
    OperatorConfig config = OperatorConfig.withOverrides(Map.of("rspark.health.port", "70000"));

    assertThatThrownBy(() -> config.get(OperatorConfig.HEALTH_PORT))
        .hasMessageStartingWith(
            "Invalid value '70000' for rspark.health.port (from system property"
                + " rspark.health.port): must be a port number between 0 and 65535.");
  }

  @Test
  void rejectsValuesThatWouldOtherwiseBeMisreadSilently() {
    assertInvalid("RSPARK_RECONCILE_THREADS", "0", "must be at least 1");
    assertInvalid("RSPARK_LEADER_ELECTION_ENABLED", "yes", "must be true or false");
    assertInvalid("RSPARK_INSTALL_CRDS", "ture", "must be true or false");
    assertInvalid("RSPARK_POD_BACKOFF_MAX", "5m", "not an ISO-8601 duration");
    assertInvalid("RSPARK_LOG_FORMAT", "JSON", "must be one of text, json");
    assertInvalid("RSPARK_SPARK_REQUEST_TIMEOUT", "PT0S", "must be longer than zero");
    assertInvalid("RSPARK_SPARK_CONNECT_TIMEOUT", "-PT1S", "must be longer than zero");
  }

  @Test
  void booleansIgnoreCaseAndSurroundingBlanks() {
    OperatorConfig config = new OperatorConfig(Map.of(), Map.of("RSPARK_INSTALL_CRDS", " TRUE "));

    assertThat(config.get(OperatorConfig.INSTALL_CRDS)).isTrue();
  }

  @Test
  void leaseNamespaceFallsBackToThePodNamespaceThenDefault() {
    assertThat(new OperatorConfig(Map.of(), Map.of()).leaseNamespace()).isEqualTo("default");
    assertThat(new OperatorConfig(Map.of(), Map.of("POD_NAMESPACE", "ops")).leaseNamespace())
        .isEqualTo("ops");
    assertThat(
            new OperatorConfig(
                    Map.of("rspark.leader-election.namespace", "leases"),
                    Map.of("POD_NAMESPACE", "ops"))
                .leaseNamespace())
        .isEqualTo("leases");
  }

  @Test
  void leaderIdentityIsTheHostnameElseOneRandomId() {
    assertThat(new OperatorConfig(Map.of(), Map.of("HOSTNAME", "op-7f9c")).leaderIdentity())
        .isEqualTo("op-7f9c");
    OperatorConfig noHostname = new OperatorConfig(Map.of(), Map.of());
    assertThat(noHostname.leaderIdentity()).isNotBlank().isEqualTo(noHostname.leaderIdentity());
  }

  private static void assertInvalid(String env, String value, String reason) {
    OperatorConfig config = new OperatorConfig(Map.of(), Map.of(env, value));
    assertThatThrownBy(config::validate)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + value + "'")
        .hasMessageContaining(env)
        .hasMessageContaining(reason);
  }
}
