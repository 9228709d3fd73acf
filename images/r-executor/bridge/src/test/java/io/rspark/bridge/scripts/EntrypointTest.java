package io.rspark.bridge.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.bridge.testing.Prerequisites;
import io.rspark.bridge.testing.Run;
import java.nio.file.Path;
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
    assertThat(run.output()).contains("usage: rspark-entrypoint driver|worker|install-packages");
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
}
