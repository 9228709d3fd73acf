package io.rspark.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ApiServerCheckTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @Test
  void closedPortFailsFastNamingTheServerAndKubeconfig() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl("https://127.0.0.1:" + closedPort)
            .withTrustCerts(true)
            .build();

    long start = System.nanoTime();
    assertThatThrownBy(() -> ApiServerCheck.verify(config, TIMEOUT))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("https://127.0.0.1:" + closedPort)
        .hasMessageContaining("could not connect")
        .hasMessageContaining("KUBECONFIG");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT);
  }

  @Test
  void reasonLooksThroughTheWholeCauseChain() {
    assertThat(reason(new ConnectException(), new ClosedChannelException()))
        .isEqualTo("could not connect");
    assertThat(reason(new ConnectException(), new UnresolvedAddressException()))
        .isEqualTo("unknown host");
    assertThat(reason(new HttpTimeoutException("request timed out")))
        .isEqualTo("no answer within 5 s");
    assertThat(reason(new IllegalStateException("odd"))).isEqualTo("IllegalStateException: odd");
  }

  private static String reason(Throwable... chain) {
    Throwable outer = new RuntimeException("An error has occurred.");
    Throwable current = outer;
    for (Throwable next : chain) {
      current.initCause(next);
      current = next;
    }
    return ApiServerCheck.reason(outer, TIMEOUT);
  }
}
