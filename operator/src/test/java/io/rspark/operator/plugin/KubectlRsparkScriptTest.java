package io.rspark.operator.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The plugin's own logic that needs no apiserver: idle time and the usage errors. */
class KubectlRsparkScriptTest {
  private static String bash(String code) throws Exception {
    Process p =
        new ProcessBuilder(
                "bash", "-c", "source \"$1\"; " + code, "bash", KubectlRspark.SCRIPT.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0s",
    "119, 119s",
    "120, 2m",
    "7199, 119m",
    "7200, 2h0m",
    "90061, 25h1m",
    "172800, 2d0h"
  })
  void idleTimeIsShortAndHuman(long seconds, String shown) throws Exception {
    assertThat(bash("human_duration " + seconds)).isEqualTo(shown);
  }

  @Test
  void idleTimeIsCountedFromLastActivityTimeWithOrWithoutFractionalSeconds() throws Exception {
    Instant ninetyMinutesAgo = Instant.now().minus(Duration.ofMinutes(90));
    assertThat(bash("idle_of " + ninetyMinutesAgo.truncatedTo(ChronoUnit.SECONDS)))
        .isEqualTo("90m");
    assertThat(bash("idle_of " + ninetyMinutesAgo.minus(Duration.ofHours(2)))).isEqualTo("3h30m");
  }

  @Test
  void withoutLastActivityTimeTheIdleColumnIsADash() throws Exception {
    assertThat(bash("idle_of ''")).isEqualTo("-");
  }

  @Test
  void theConnectUrlCarriesTheTokenAsABearerHeaderParameter() throws Exception {
    // Spark 3.5's clients make token= a TLS connection; authorization= travels as the header.
    assertThat(bash("connect_url 40123 c0ffee"))
        .isEqualTo("sc://127.0.0.1:40123/;authorization=Bearer%20c0ffee");
  }

  @Test
  void usageErrorsExitTwoBeforeAnyApiCall() throws Exception {
    String[][] cases = {
      {"frobnicate"},
      {"attach"},
      {"attach", "a", "b"},
      {"attach", "a", "--timeout", "soon"},
      {"attach", "a", "--bogus"},
      {"connect"},
      {"connect", "a", "b"},
      {"connect", "a", "--timeout", "soon"},
      {"connect", "a", "--bogus"},
      {"ui"},
      {"list", "extra"}
    };
    for (String[] args : cases) {
      // No KUBECONFIG that works: a usage error must not get as far as kubectl.
      ProcessBuilder pb = new ProcessBuilder("bash", KubectlRspark.SCRIPT.toString());
      pb.command().addAll(java.util.List.of(args));
      pb.environment().put("KUBECONFIG", "/nonexistent/kubeconfig");
      Process p = pb.redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("%s: %s", String.join(" ", args), out).isEqualTo(2);
      assertThat(out).as(String.join(" ", args)).startsWith("error: ");
    }
  }
}
