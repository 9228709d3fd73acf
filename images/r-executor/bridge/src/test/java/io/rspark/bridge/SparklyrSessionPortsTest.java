package io.rspark.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparklyrSessionPortsTest {
  @TempDir Path dir;

  @Test
  void listeningPortsAreReadFromTheKernelsSocketTable() throws Exception {
    Path table = dir.resolve("tcp");
    Files.writeString(
        table,
        String.join(
            "\n",
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid",
            "   0: 0100007F:22B0 00000000:0000 0A 00000000:00000000 00:00000000 00000000   185",
            "   1: 0100007F:22B1 00000000:0000 0A 00000000:00000000 00:00000000 00000000   185",
            "   2: 0100007F:22B0 0100007F:A1B2 01 00000000:00000000 00:00000000 00000000   185",
            ""));
    // 0x22B0 = 8880, 0x22B1 = 8881; the ESTABLISHED connection to 8880 is not a listener.
    assertThat(SparklyrSessionPorts.listeningPorts(table)).containsExactlyInAnyOrder(8880, 8881);
    assertThat(SparklyrSessionPorts.listeningPorts(dir.resolve("missing"))).isEmpty();
  }

  @Test
  void portsTheBridgeListenedOnAtStartAreNotSessionsUntilTheyClose() {
    // Gateway 8880 with 2 covered session ports (8881-8882); the bridge's readiness port is 8930.
    SparklyrSessionPorts ports = new SparklyrSessionPorts(8880, 2, Set.of(8880, 8930));
    assertThat(ports.check(Set.of(8880, 8930))).isEmpty();
    assertThat(ports.check(Set.of(8880, 8930, 8881, 8882, 8883))).containsExactly(8883);
    assertThat(ports.check(Set.of(8880, 8930, 8881, 8882, 8883))).as("said once").isEmpty();
    // Once closed, 8930 is no longer the bridge's: a session that gets it is reported.
    assertThat(ports.check(Set.of(8880))).isEmpty();
    assertThat(ports.check(Set.of(8880, 8930))).containsExactly(8930);
  }

  @Test
  void aPortBeyondTheSearchRangeIsNotASession() {
    SparklyrSessionPorts ports = new SparklyrSessionPorts(8880, 2, Set.of());
    assertThat(ports.check(Set.of(8880, 8880 + SparklyrSessionPorts.SPARKLYR_PORT_SEARCH + 1)))
        .isEmpty();
    assertThat(ports.check(Set.of(8880, 8880 + SparklyrSessionPorts.SPARKLYR_PORT_SEARCH)))
        .containsExactly(8880 + SparklyrSessionPorts.SPARKLYR_PORT_SEARCH);
  }

  @Test
  void freeSessionPortsAreTheCoveredOnesNothingListensOn() {
    // Gateway 8880 with 3 covered session ports (8881-8883).
    assertThat(SparklyrSessionPorts.free(8880, 3, Set.of(8880))).isEqualTo(3);
    assertThat(SparklyrSessionPorts.free(8880, 3, Set.of(8880, 8882))).isEqualTo(2);
    assertThat(SparklyrSessionPorts.free(8880, 3, Set.of(8880, 8881, 8882, 8883))).isZero();
    assertThat(SparklyrSessionPorts.free(8880, 3, Set.of(8880, 8881, 8882, 8884)))
        .as("a port beyond the covered ones frees none of them")
        .isEqualTo(1);
  }
}
