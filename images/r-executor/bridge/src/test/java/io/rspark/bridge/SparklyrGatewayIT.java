package io.rspark.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.bridge.testing.BridgeUnderTest;
import io.rspark.bridge.testing.Prerequisites;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge's side of the sparklyr gateway, with the stand-in {@link sparklyr.Shell} in place of
 * sparklyr's jar (CI has no sparklyr; RClientsIT runs the real one).
 */
class SparklyrGatewayIT {
  @TempDir Path dir;

  /** A jar holding only the stand-in gateway, as sparklyr's jar holds the real one. */
  private Path standInJar() throws Exception {
    String entry = "sparklyr/Shell.class";
    Path jar = dir.resolve("sparklyr-stand-in.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new JarEntry(entry));
      try (var in = sparklyr.Shell.class.getClassLoader().getResourceAsStream(entry)) {
        in.transferTo(out);
      }
      out.closeEntry();
    }
    return jar;
  }

  @Test
  void aHealthyStartLogsNoError() throws Exception {
    try (BridgeUnderTest bridge =
        BridgeUnderTest.start(
            dir.resolve("bridge"),
            "gateway-start",
            Map.of("RSPARK_MASTER_URL", "local[1]"),
            Prerequisites.sparkHome(),
            standInJar())) {
      bridge.awaitReady(Duration.ofSeconds(120));
      String log = bridge.process.log();
      assertThat(log).contains("sparklyr gateway on sparklyr://127.0.0.1:" + bridge.sparklyrPort);
      assertThat(log.lines().filter(line -> line.contains("ERROR")))
          .as("the start log:%n%s", log)
          .isEmpty();
    }
  }
}
