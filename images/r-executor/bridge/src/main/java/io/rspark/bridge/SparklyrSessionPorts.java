package io.rspark.bridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the backend ports sparklyr's gateway hands to sessions. Each session gets the first free
 * port above the gateway's (sparklyr's {@code Utils.nextPort}, up to +99), and its R client
 * connects to that number on the gateway's host, so only the first {@code sessions} ports are
 * covered by port-forwards ({@code kubectl rspark attach --sparklyr}) and the NetworkPolicy.
 * sparklyr cannot be told to refuse more sessions, so the bridge says it in its log: when every
 * covered port is taken, and for each session that got a port beyond them. Ports that were already
 * listening when the bridge finished starting are its own services (readiness, SparkR, Spark UI and
 * block manager ports where the pod contract does not fix them), not sessions: they are left out
 * until they close.
 */
final class SparklyrSessionPorts {
  private static final Logger LOG = LoggerFactory.getLogger(SparklyrSessionPorts.class);
  private static final List<Path> TABLES =
      List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

  /** How far above its own port sparklyr looks for a free backend port. */
  static final int SPARKLYR_PORT_SEARCH = 99;

  private final int gatewayPort;
  private final int sessions;
  private final Set<Integer> bridgePorts;
  private final Set<Integer> reportedBeyond = new HashSet<>();
  private boolean full;

  /**
   * @param bridgePorts the ports listening when the bridge finished starting ({@link #listening()})
   */
  SparklyrSessionPorts(int gatewayPort, int sessions, Set<Integer> bridgePorts) {
    this.gatewayPort = gatewayPort;
    this.sessions = sessions;
    this.bridgePorts = new HashSet<>(bridgePorts);
  }

  /** The pod's listening ports. */
  static Set<Integer> listening() {
    Set<Integer> listening = new HashSet<>();
    for (Path table : TABLES) {
      listening.addAll(listeningPorts(table));
    }
    return listening;
  }

  /**
   * How many of the covered session ports nothing listens on: a new session gets the first free
   * port above the gateway's, so with none free it gets one beyond them. The bridge's own ports
   * listen, so they never count as free.
   */
  static int free(int gatewayPort, int sessions, Set<Integer> listening) {
    int free = 0;
    for (int port = gatewayPort + 1; port <= gatewayPort + sessions; port++) {
      if (!listening.contains(port)) {
        free++;
      }
    }
    return free;
  }

  /** Reads the pod's listening sockets and logs what changed since the last check. */
  void check() {
    check(listening());
  }

  /**
   * Logs what changed since the last check.
   *
   * @return the ports beyond the covered ones that this check reported
   */
  Set<Integer> check(Set<Integer> listening) {
    bridgePorts.retainAll(listening);
    Set<Integer> sessionPorts = new HashSet<>(listening);
    sessionPorts.removeAll(bridgePorts);
    int last = gatewayPort + sessions;
    long taken = sessionPorts.stream().filter(p -> p > gatewayPort && p <= last).count();
    if (taken >= sessions && !full) {
      LOG.warn(
          "all {} sparklyr session ports ({}-{}) are in use: a new sparklyr session from outside"
              + " the driver pod cannot attach until one disconnects (spec.r.sparklyrSessions sets"
              + " how many)",
          sessions,
          gatewayPort + 1,
          last);
    }
    full = taken >= sessions;
    Set<Integer> reported = new HashSet<>();
    for (int port : sessionPorts) {
      if (port > last && port <= gatewayPort + SPARKLYR_PORT_SEARCH && reportedBeyond.add(port)) {
        reported.add(port);
        LOG.error(
            "a sparklyr session got backend port {}, beyond the {} session ports ({}-{}): a client"
                + " outside the driver pod cannot reach it; raise spec.r.sparklyrSessions or close"
                + " sessions",
            port,
            sessions,
            gatewayPort + 1,
            last);
      }
    }
    reportedBeyond.retainAll(sessionPorts);
    return reported;
  }

  /** Local ports in state LISTEN (0A) in one of the kernel's socket tables. */
  static Set<Integer> listeningPorts(Path table) {
    List<String> lines;
    try {
      lines = Files.readAllLines(table, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return Set.of();
    }
    Set<Integer> ports = new HashSet<>();
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] fields = line.trim().split("\\s+");
      // fields: sl local_address rem_address st ...
      if (fields.length > 3 && "0A".equals(fields[3])) {
        String local = fields[1];
        ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
      }
    }
    return ports;
  }
}
