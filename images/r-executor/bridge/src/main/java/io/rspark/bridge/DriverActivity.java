package io.rspark.bridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerEvent;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.connect.service.SparkListenerConnectOperationClosed;
import org.apache.spark.sql.connect.service.SparkListenerConnectOperationStarted;
import org.apache.spark.sql.connect.service.SparkListenerConnectSessionClosed;
import org.apache.spark.sql.connect.service.SparkListenerConnectSessionStarted;
import scala.Option;

/**
 * What {@code GET /activity} reports, for the operator's idle auto-termination and autoscaling: R
 * sessions attached now, Spark Connect sessions held and operations running now, jobs running now,
 * tasks of running stages not started yet, and the last moment anything happened (the bridge's
 * start, an R session connecting or sending a request, a Connect session starting, a Connect
 * operation starting or ending, a job starting or ending).
 */
final class DriverActivity extends SparkListener {
  private final SparkContext sc;
  private final IntSupplier sparkRSessions;
  private final int sparklyrPort;
  private final Supplier<OptionalInt> sparklyrFreeSessionPorts;
  private final boolean connect;
  private final AtomicReference<Instant> last = new AtomicReference<>(Instant.now());
  private volatile int sparklyrSeen;
  private final AtomicInteger connectSessions = new AtomicInteger();
  private final AtomicInteger connectOperations = new AtomicInteger();

  /**
   * @param sparklyrFreeSessionPorts how many of the sparklyr session ports that port-forwards and
   *     the NetworkPolicy cover are free now; empty when the bridge serves no sparklyr gateway
   * @param connect whether this bridge serves Spark Connect: only then are Connect's event classes
   *     looked at, so a bridge without it never needs the spark-connect jar
   */
  DriverActivity(
      SparkContext sc,
      IntSupplier sparkRSessions,
      int sparklyrPort,
      Supplier<OptionalInt> sparklyrFreeSessionPorts,
      boolean connect) {
    this.sc = sc;
    this.sparkRSessions = sparkRSessions;
    this.sparklyrPort = sparklyrPort;
    this.sparklyrFreeSessionPorts = sparklyrFreeSessionPorts;
    this.connect = connect;
  }

  /** Something happened now. */
  void touch() {
    Instant now = Instant.now();
    last.accumulateAndGet(now, (a, b) -> a.isAfter(b) ? a : b);
  }

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    touch();
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd jobEnd) {
    touch();
  }

  /**
   * Spark Connect's server posts its sessions' and operations' lifecycles on the context's listener
   * bus. An operation counts from its start to its close (after its results were sent or it
   * failed), so a query whose Spark jobs have not started yet, or one still streaming results,
   * keeps the cluster busy too. A session stays until the server drops it (Spark 3.5 clients never
   * close theirs; the server expires them after an hour unused), so it is reported but not busy.
   */
  @Override
  public void onOtherEvent(SparkListenerEvent event) {
    if (!connect) {
      return;
    }
    if (event instanceof SparkListenerConnectSessionStarted) {
      connectSessions.incrementAndGet();
      touch();
    } else if (event instanceof SparkListenerConnectSessionClosed) {
      connectSessions.updateAndGet(n -> Math.max(0, n - 1));
    } else if (event instanceof SparkListenerConnectOperationStarted) {
      connectOperations.incrementAndGet();
      touch();
    } else if (event instanceof SparkListenerConnectOperationClosed) {
      connectOperations.updateAndGet(n -> Math.max(0, n - 1));
      touch();
    }
  }

  String json() {
    int sparklyr = sparklyrConnections();
    if (sparklyr != sparklyrSeen) {
      // sparklyr's gateway runs inside sparklyr; a session arriving or leaving is what we see.
      sparklyrSeen = sparklyr;
      touch();
    }
    SparkStatusTracker tracker = sc.statusTracker();
    int pending = 0;
    for (int stageId : tracker.getActiveStageIds()) {
      Option<SparkStageInfo> stage = tracker.getStageInfo(stageId);
      if (stage.isDefined()) {
        SparkStageInfo info = stage.get();
        pending += Math.max(0, info.numTasks() - info.numActiveTasks() - info.numCompletedTasks());
      }
    }
    OptionalInt freeSessionPorts = sparklyrFreeSessionPorts.get();
    return "{\"attachedRSessions\":"
        + (sparkRSessions.getAsInt() + sparklyr)
        + ",\"sparklyrGateway\":"
        + freeSessionPorts.isPresent()
        + (freeSessionPorts.isPresent()
            ? ",\"sparklyrFreeSessionPorts\":" + freeSessionPorts.getAsInt()
            : "")
        + ",\"connectSessions\":"
        + connectSessions.get()
        + ",\"connectOperations\":"
        + connectOperations.get()
        + ",\"activeJobs\":"
        + tracker.getActiveJobIds().length
        + ",\"pendingTasks\":"
        + pending
        + ",\"lastActivity\":\""
        + last.get()
        + "\"}\n";
  }

  /**
   * Open connections to sparklyr's gateway port: a sparklyr session keeps its gateway connection
   * (its monitor) open while attached. Read from the kernel's socket tables of this network
   * namespace (the pod's), as sparklyr's own gateway does not count them.
   */
  private int sparklyrConnections() {
    int count = 0;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      count += established(Path.of(table), sparklyrPort);
    }
    return count;
  }

  static int established(Path table, int localPort) {
    List<String> lines;
    try {
      lines = Files.readAllLines(table, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return 0;
    }
    String port = String.format(":%04X", localPort);
    int count = 0;
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] fields = line.trim().split("\\s+");
      // fields: sl local_address rem_address st ...; state 01 is ESTABLISHED.
      if (fields.length > 3 && fields[1].endsWith(port) && "01".equals(fields[3])) {
        count++;
      }
    }
    return count;
  }
}
