package io.rspark.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BridgeConfigTest {
  @TempDir Path dir;

  @Test
  void defaultsAreThePodContractsPortsAndPaths() {
    BridgeConfig config = BridgeConfig.from(Map.of(), new Properties());
    assertThat(config.masterUrl()).isEqualTo("local[*]");
    assertThat(config.localMode()).isTrue();
    assertThat(config.sparkRPort()).isEqualTo(8890);
    assertThat(config.sparklyrPort()).isEqualTo(8880);
    assertThat(config.sparklyrSessions()).isEqualTo(8);
    assertThat(config.healthPort()).isEqualTo(8899);
    assertThat(config.sparkRSecretFile())
        .isEqualTo(Path.of("/opt/rspark/run/conf/sparkr-backend-secret"));
    assertThat(config.sparklyrJar()).isEqualTo(Path.of("/opt/rspark/lib/sparklyr.jar"));
    assertThat(config.authSecretFile()).isEmpty();
    assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(config.remoteClients()).isFalse();
  }

  @Test
  void theOperatorCanOpenTheBridgeToClientPods() {
    BridgeConfig config =
        BridgeConfig.from(Map.of("RSPARK_BRIDGE_ADDRESS", "0.0.0.0"), new Properties());
    assertThat(config.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(config.remoteClients()).isTrue();
  }

  @Test
  void readsTheOperatorsEnvironment() {
    BridgeConfig config =
        BridgeConfig.from(
            Map.of(
                "RSPARK_MASTER_URL", "spark://analytics-driver.data-team.svc:7077",
                "RSPARK_CLUSTER", "analytics",
                "RSPARK_AUTH_SECRET_FILE", "/etc/rspark/auth/spark-auth-secret",
                "RSPARK_SPARK_DEFAULTS_FILE", "/etc/rspark/conf/spark-defaults.conf",
                "RSPARK_POD_IP", "10.1.2.3",
                "RSPARK_SPARKLYR_SESSIONS", "3",
                "SPARK_CONF_DIR", "/run/conf"),
            new Properties());
    assertThat(config.localMode()).isFalse();
    assertThat(config.appName()).isEqualTo("rspark-analytics");
    assertThat(config.authSecretFile()).contains(Path.of("/etc/rspark/auth/spark-auth-secret"));
    assertThat(config.driverHost()).contains("10.1.2.3");
    assertThat(config.sparkRSecretFile()).isEqualTo(Path.of("/run/conf/sparkr-backend-secret"));
    assertThat(config.sparklyrSessions()).isEqualTo(3);
  }

  @Test
  void sparkConfTakesTheConfigMapThenTheSecretFromItsFile() throws Exception {
    Path defaults = dir.resolve("spark-defaults.conf");
    Files.writeString(
        defaults,
        "# comment\nspark.master spark://elsewhere:7077\nspark.sql.shuffle.partitions 64\n"
            + "spark.r.command /opt/rspark/bin/rspark-r\n");
    Path secret = dir.resolve("secret");
    Files.writeString(secret, "c0ffee\n");
    BridgeConfig config =
        new BridgeConfig(
            "spark://analytics-driver:7077",
            "rspark-analytics",
            Optional.of(defaults),
            Optional.of(secret),
            Optional.of("10.1.2.3"),
            dir.resolve("sparkr"),
            1,
            2,
            1,
            8,
            dir.resolve("none.jar"),
            3,
            BridgeConfig.LOOPBACK,
            OptionalInt.empty());
    SparkConf conf = SparkConfFactory.create(config);
    assertThat(conf.get("spark.master")).isEqualTo("spark://analytics-driver:7077");
    assertThat(conf.get("spark.sql.shuffle.partitions")).isEqualTo("64");
    assertThat(conf.get("spark.r.command")).isEqualTo("/opt/rspark/bin/rspark-r");
    assertThat(conf.get("spark.authenticate")).isEqualTo("true");
    assertThat(conf.get("spark.authenticate.secret")).isEqualTo("c0ffee");
    assertThat(conf.get("spark.driver.host")).isEqualTo("10.1.2.3");
    assertThat(conf.get("spark.app.name")).isEqualTo("rspark-analytics");
    assertThat(conf.get("spark.files.useFetchCache")).isEqualTo("false");
    assertThat(conf.get("spark.plugins")).isEqualTo(SessionFilesPlugin.class.getName());
    assertThat(conf.get("spark.executor.extraClassPath")).isNotBlank();
  }

  @Test
  void localModeNeedsNeitherDriverHostNorSecret() throws Exception {
    BridgeConfig config = BridgeConfig.from(Map.of("RSPARK_POD_IP", "10.1.2.3"), new Properties());
    SparkConf conf = SparkConfFactory.create(config);
    assertThat(conf.contains("spark.driver.host")).isFalse();
    assertThat(conf.contains("spark.authenticate.secret")).isFalse();
    assertThat(conf.contains("spark.plugins")).isFalse();
  }

  @Test
  void sparkConnectGetsItsPortAndTheTokenCheckAfterTheConfigMapAndOnlyTheSecretsPath()
      throws Exception {
    Path defaults = dir.resolve("spark-defaults.conf");
    Files.writeString(
        defaults,
        "spark.connect.grpc.binding.port 1\nspark.connect.grpc.interceptor.classes x.Y\n");
    Path secret = dir.resolve("secret");
    Files.writeString(secret, "c0ffee\n");
    BridgeConfig config =
        BridgeConfig.from(
            Map.of(
                "RSPARK_SPARK_DEFAULTS_FILE", defaults.toString(),
                "RSPARK_AUTH_SECRET_FILE", secret.toString(),
                "RSPARK_CONNECT_PORT", "15002"),
            new Properties());
    assertThat(config.connectPort()).hasValue(15002);
    SparkConf conf = SparkConfFactory.create(config);
    assertThat(conf.get("spark.connect.grpc.binding.port")).isEqualTo("15002");
    assertThat(conf.get("spark.connect.grpc.interceptor.classes"))
        .isEqualTo("io.rspark.bridge.ConnectTokenInterceptor");
    assertThat(conf.get(ConnectTokenInterceptor.TOKEN_FILE_KEY)).isEqualTo(secret.toString());

    assertThat(BridgeConfig.from(Map.of(), new Properties()).connectPort()).isEmpty();
    assertThatThrownBy(
            () ->
                SparkConfFactory.create(
                    BridgeConfig.from(Map.of("RSPARK_CONNECT_PORT", "15002"), new Properties())))
        .hasMessageContaining("Spark Connect needs RSPARK_AUTH_SECRET_FILE");
  }

  @Test
  void anEmptySecretFileIsAnError() throws Exception {
    Path secret = dir.resolve("secret");
    Files.writeString(secret, "\n");
    assertThatThrownBy(() -> SparkConfFactory.readSecret(secret))
        .hasMessageContaining("is empty")
        .hasMessageNotContaining("\n");
  }

  @Test
  void theSecretFileIsCreatedPrivate() throws Exception {
    Path target = dir.resolve("sub/secret");
    SecretFile.write(target, "s3cr3t");
    assertThat(Files.readString(target)).isEqualTo("s3cr3t");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
        .isEqualTo("rw-------");
    assertThat(Files.list(target.getParent())).containsExactly(target);
  }

  private BridgeConfig kubernetesConfig(Path defaults, Path secret) {
    return new BridgeConfig(
        "k8s://https://kubernetes.default.svc",
        "rspark-analytics",
        Optional.of(defaults),
        Optional.of(secret),
        Optional.of("10.1.2.3"),
        dir.resolve("sparkr"),
        1,
        2,
        1,
        8,
        dir.resolve("none.jar"),
        3,
        BridgeConfig.LOOPBACK,
        OptionalInt.empty());
  }

  @Test
  void kubernetesModeLeavesTheSecretToSparksOwnFileReading() throws Exception {
    Path secret = dir.resolve("secret");
    Files.writeString(secret, "c0ffee\n");
    Path defaults = dir.resolve("spark-defaults.conf");
    Files.writeString(
        defaults,
        "spark.master k8s://https://kubernetes.default.svc\n"
            + "spark.authenticate.secret.driver.file "
            + secret
            + "\nspark.authenticate.secret.executor.file "
            + secret
            + "\nspark.kubernetes.executor.podTemplateFile /etc/rspark/executor/executor-pod.yaml\n");
    BridgeConfig config = kubernetesConfig(defaults, secret);
    assertThat(config.kubernetesMode()).isTrue();
    SparkConf conf = SparkConfFactory.create(config);
    assertThat(conf.get("spark.master")).isEqualTo("k8s://https://kubernetes.default.svc");
    assertThat(conf.get("spark.authenticate")).isEqualTo("true");
    assertThat(conf.contains("spark.authenticate.secret"))
        .as("the value would not reach executors; the files do")
        .isFalse();
    assertThat(conf.get("spark.authenticate.secret.executor.file")).isEqualTo(secret.toString());
    assertThat(conf.get("spark.kubernetes.executor.podTemplateFile"))
        .isEqualTo("/etc/rspark/executor/executor-pod.yaml");
    assertThat(conf.get("spark.plugins"))
        .as("executor pods delete their copies of ended sessions' files too")
        .isEqualTo(SessionFilesPlugin.class.getName());
    assertThat(conf.get("spark.executor.extraClassPath")).isNotBlank();
  }

  @Test
  void kubernetesModeWithoutTheSecretFileSettingsIsAnError() throws Exception {
    Path secret = dir.resolve("secret");
    Files.writeString(secret, "c0ffee\n");
    Path defaults = dir.resolve("spark-defaults.conf");
    Files.writeString(defaults, "spark.master k8s://https://kubernetes.default.svc\n");
    assertThatThrownBy(() -> SparkConfFactory.create(kubernetesConfig(defaults, secret)))
        .hasMessageContaining("spark.authenticate.secret.driver.file is missing");
  }
}
