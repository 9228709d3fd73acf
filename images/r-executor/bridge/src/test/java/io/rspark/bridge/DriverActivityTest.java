package io.rspark.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counting a port's established connections in the kernel's socket table. */
class DriverActivityTest {
  @TempDir Path dir;

  @Test
  void countsOnlyEstablishedConnectionsWhoseLocalPortIsTheGateway() throws Exception {
    // 8880 = 0x22B0. Rows: listening socket, two accepted sessions, one closing, and the R side
    // of a session (local port random, remote 8880), which must not count twice.
    Path table = dir.resolve("tcp");
    Files.writeString(
        table,
        String.join(
            "\n",
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid",
            "   0: 0100007F:22B0 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0",
            "   1: 0100007F:22B0 0100007F:D431 01 00000000:00000000 00:00000000 00000000 0",
            "   2: 0100007F:22B0 0100007F:D433 01 00000000:00000000 00:00000000 00000000 0",
            "   3: 0100007F:22B0 0100007F:D435 06 00000000:00000000 00:00000000 00000000 0",
            "   4: 0100007F:D431 0100007F:22B0 01 00000000:00000000 00:00000000 00000000 0",
            ""));

    assertThat(DriverActivity.established(table, 8880)).isEqualTo(2);
    assertThat(DriverActivity.established(table, 8890)).isZero();
    assertThat(DriverActivity.established(dir.resolve("missing"), 8880)).isZero();
  }
}
