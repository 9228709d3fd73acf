package io.rspark.bridge.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.bridge.testing.Prerequisites;
import io.rspark.bridge.testing.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entrypoint's dispatch without Spark; the roles that start Spark are in the *IT tier. */
class EntrypointTest {
  @TempDir Path dir;
  final String entrypoint = Prerequisites.imageDir().resolve("bin/rspark-entrypoint").toString();

  @Test
  void passesOtherCommandsThrough() throws Exception {
    Run run = Run.of(dir, Map.of(), "bash", entrypoint, "printf", "%s-%s", "a b", "c");
    assertThat(run.status()).isZero();
    assertThat(run.output()).isEqualTo("a b-c");
  }

  @Test
  void withoutARoleItSaysHowToUseIt() throws Exception {
    Run run = Run.of(dir, Map.of(), "bash", entrypoint);
    assertThat(run.status()).isEqualTo(64);
    assertThat(run.output())
        .contains("usage: rspark-entrypoint driver|worker|executor|install-packages");
  }

  @Test
  void workerNeedsTheOperatorsEnvironment() throws Exception {
    Run run =
        Run.of(
            dir,
            Map.of("SPARK_CONF_DIR", dir.resolve("conf").toString()),
            "bash",
            entrypoint,
            "worker");
    assertThat(run.status()).isNotZero();
    assertThat(run.output()).contains("RSPARK_MASTER_URL");
  }

  @Test
  void executorNeedsSparksEnvironment() throws Exception {
    Run run = Run.of(dir, Map.of(), "bash", entrypoint, "executor");
    assertThat(run.status()).isNotZero();
    assertThat(run.output()).contains("SPARK_DRIVER_URL");
  }

  /** A java that prints its arguments one per line, so the command line can be checked. */
  private Path fakeJavaHome() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("jdk/bin"));
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\n");
    java.toFile().setExecutable(true);
    return dir.resolve("jdk");
  }

  @Test
  void executorRunsSparksKubernetesExecutorBackendWithItsOptionsInOrder() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("JAVA_HOME", fakeJavaHome().toString());
    env.put("SPARK_HOME", "/opt/spark");
    env.put("SPARK_CONF_DIR", "/opt/spark/conf");
    env.put("SPARK_DRIVER_URL", "spark://CoarseGrainedScheduler@k-driver.ns.svc:7079");
    env.put("SPARK_EXECUTOR_ID", "7");
    env.put("SPARK_EXECUTOR_MEMORY", "4915m");
    env.put("SPARK_EXECUTOR_CORES", "2");
    env.put("SPARK_APPLICATION_ID", "spark-0123");
    env.put("SPARK_EXECUTOR_POD_IP", "10.1.2.3");
    env.put("SPARK_RESOURCE_PROFILE_ID", "0");
    env.put("SPARK_EXECUTOR_POD_NAME", "k-exec-7");
    env.put("SPARK_JAVA_OPT_0", "-Dspark.driver.port=7079");
    env.put("SPARK_JAVA_OPT_2", "-Dspark.authenticate=true");
    env.put("SPARK_JAVA_OPT_10", "-Dspark.app.name=has spaces");
    env.put("SPARK_JAVA_OPT_1", "-Dspark.authenticate.secret.executor.file=/etc/rspark/auth/s");
    Run run = Run.of(dir, env, "bash", entrypoint, "executor");
    assertThat(run.status()).isZero();
    List<String> args = List.of(run.output().split("\n"));
    assertThat(args).startsWith("-Xms4915m", "-Xmx4915m");
    assertThat(args)
        .containsSubsequence(
            "-Dspark.driver.port=7079",
            "-Dspark.authenticate.secret.executor.file=/etc/rspark/auth/s",
            "-Dspark.authenticate=true",
            "-Dspark.app.name=has spaces",
            "-cp",
            "/opt/spark/conf:/opt/spark/jars/*",
            "org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend");
    assertThat(String.join(" ", args))
        .endsWith(
            "KubernetesExecutorBackend --driver-url"
                + " spark://CoarseGrainedScheduler@k-driver.ns.svc:7079 --executor-id 7 --cores 2"
                + " --app-id spark-0123 --hostname 10.1.2.3 --resourceProfileId 0 --podName"
                + " k-exec-7");
  }
}
