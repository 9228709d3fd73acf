package io.rspark.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
