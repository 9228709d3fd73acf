package io.rspark.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.bridge.testing.BridgeUnderTest;
import io.rspark.bridge.testing.Prerequisites;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  @Test
  void theLogSaysWhenSessionsRunOutOfForwardedBackendPorts() throws Exception {
    Map<String, String> env =
        Map.of("RSPARK_MASTER_URL", "local[1]", "RSPARK_SPARKLYR_SESSIONS", "2");
    try (BridgeUnderTest bridge =
        BridgeUnderTest.start(
            dir.resolve("bridge"), "gateway-ports", env, Prerequisites.sparkHome(), standInJar())) {
      bridge.awaitReady(Duration.ofSeconds(120));
      int gateway = bridge.sparklyrPort;
      assertThat(bridge.process.log())
          .contains("session backend ports " + (gateway + 1) + "-" + (gateway + 2));
      assertThat(bridge.activity().path("sparklyrGateway").asBoolean()).isTrue();
      assertThat(bridge.activity().path("sparklyrFreeSessionPorts").asInt()).isEqualTo(2);
      // Listening where sparklyr would put the backends of three sessions.
      List<ServerSocket> backends = new ArrayList<>();
      try {
        for (int port = gateway + 1; port <= gateway + 2; port++) {
          backends.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
        }
        bridge.process.await(
            "the log saying the session ports are all in use",
            Duration.ofSeconds(10),
            () -> bridge.process.log().contains("all 2 sparklyr session ports (" + (gateway + 1)));
        assertThat(bridge.activity().path("sparklyrFreeSessionPorts").asInt())
            .as("what kubectl rspark attach --sparklyr reads before it lets a session start")
            .isZero();
        backends.add(new ServerSocket(gateway + 3, 1, InetAddress.getLoopbackAddress()));
        bridge.process.await(
            "the log naming the session beyond them",
            Duration.ofSeconds(10),
            () ->
                bridge
                    .process
                    .log()
                    .contains("a sparklyr session got backend port " + (gateway + 3)));
      } finally {
        for (ServerSocket backend : backends) {
          backend.close();
        }
      }
    }
  }
}
