package io.rspark.operator.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against an in-JVM HTTP server that answers with the JSON recorded from a real
 * standalone master (src/test/resources/spark-master), and with the failures a master can have.
 */
class HttpSparkClientTest {
  private static final Duration SHORT = Duration.ofMillis(500);

  private HttpServer server;
  private URI base;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private volatile String body = "";
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean hang;
  private final HttpSparkClient client = new HttpSparkClient(SHORT, SHORT);

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext("/", this::answer);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
    if (hang) {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private void serveFixture(String scenario) throws IOException {
    try (var in = getClass().getResourceAsStream("/spark-master/" + scenario + ".json")) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    try {
      return future.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void readsAnIdleMaster() throws Exception {
    serveFixture("idle");
    MasterStatus status = await(client.masterStatus(base));

    assertThat(requests).containsExactly("GET /json/");
    assertThat(status.status()).isEqualTo("ALIVE");
    assertThat(status.activeApps()).isEmpty();
    assertThat(status.workers())
        .extracting(SparkWorker::host, SparkWorker::cores, SparkWorker::coresUsed)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("127.0.0.2", 2, 0),
            org.assertj.core.groups.Tuple.tuple("127.0.0.3", 2, 0));
    assertThat(status.workers()).allMatch(SparkWorker::alive).noneMatch(SparkWorker::runsExecutors);
  }

  @Test
  void readsABusyMaster() throws Exception {
    serveFixture("busy");
    MasterStatus status = await(client.masterStatus(base));

    assertThat(status.workers()).allMatch(SparkWorker::runsExecutors);
    assertThat(status.activeApps())
        .singleElement()
        .satisfies(
            app -> {
              assertThat(app.name()).isEqualTo("lifecycle-probe");
              assertThat(app.state()).isEqualTo("RUNNING");
              assertThat(app.cores()).isEqualTo(4);
              assertThat(app.waiting()).isFalse();
            });
  }

  @Test
  void anAppWaitingForCoresIsAnActiveAppInStateWaiting() throws Exception {
    serveFixture("app-waiting");
    MasterStatus status = await(client.masterStatus(base));

    assertThat(status.activeApps())
        .filteredOn(SparkApp::waiting)
        .singleElement()
        .satisfies(
            app -> {
              assertThat(app.name()).isEqualTo("waiting-for-cores");
              assertThat(app.cores()).isZero();
            });
  }

  @Test
  void decommissionedAndLostWorkersAreNotAlive() throws Exception {
    serveFixture("worker-decommissioned");
    MasterStatus decommissioned = await(client.masterStatus(base));
    assertThat(decommissioned.workers())
        .filteredOn(w -> w.host().equals("127.0.0.3"))
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.state()).isEqualTo("DECOMMISSIONED");
              assertThat(w.alive()).isFalse();
            });

    serveFixture("worker-lost");
    MasterStatus lost = await(client.masterStatus(base));
    assertThat(lost.workers())
        .filteredOn(w -> w.host().equals("127.0.0.3"))
        .singleElement()
        .satisfies(w -> assertThat(w.state()).isEqualTo("DEAD"));
  }

  @Test
  void countsTheExecutorsAWorkerReports() throws Exception {
    serveFixture("worker-ui-decommissioned");
    assertThat(await(client.runningExecutors(base))).isZero();
    assertThat(requests).containsExactly("GET /json/");
  }

  @Test
  void aWorkerAnswerWithoutExecutorsIsUnreadable() {
    body = "{\"id\":\"worker-1\",\"cores\":2}";
    assertThatThrownBy(() -> await(client.runningExecutors(base)))
        .isInstanceOf(SparkUnreachableException.class)
        .hasMessageContaining(
            "(the Spark worker) answered something unreadable: no list of executors");
  }

  @Test
  void toleratesFieldsItDoesNotKnow() throws Exception {
    body =
        "{\"status\":\"ALIVE\",\"future\":{\"x\":1},\"workers\":[{\"id\":\"w\",\"host\":\"h\","
            + "\"cores\":4,\"coresused\":1,\"state\":\"ALIVE\",\"gpu\":true}],\"activeapps\":[]}";
    assertThat(await(client.masterStatus(base)).workers())
        .containsExactly(new SparkWorker("w", "h", 4, 1, "ALIVE"));
  }

  @Test
  void readsTheBridgesActivity() throws Exception {
    body =
        "{\"attachedRSessions\":2,\"activeJobs\":1,\"pendingTasks\":7,"
            + "\"lastActivity\":\"2026-11-25T11:00:00.123Z\",\"extra\":0}";
    assertThat(await(client.driverActivity(base)))
        .isEqualTo(new DriverActivity(2, 0, 1, 7, Instant.parse("2026-11-25T11:00:00.123Z")));
    assertThat(requests).containsExactly("GET /activity");
  }

  @Test
  void readsRunningSparkConnectOperations() throws Exception {
    body =
        "{\"attachedRSessions\":0,\"connectSessions\":3,\"connectOperations\":2,"
            + "\"activeJobs\":1,\"pendingTasks\":4,\"lastActivity\":\"2026-11-25T11:00:00Z\"}";
    assertThat(await(client.driverActivity(base)))
        .isEqualTo(new DriverActivity(0, 2, 1, 4, Instant.parse("2026-11-25T11:00:00Z")));
  }

  @Test
  void anActivityWithoutAnInstantIsUnreadable() {
    body = "{\"attachedRSessions\":0,\"activeJobs\":0,\"pendingTasks\":0,\"lastActivity\":\"now\"}";
    assertThatThrownBy(() -> await(client.driverActivity(base)))
        .isInstanceOf(SparkUnreachableException.class)
        .hasMessageContaining("GET " + base + "/activity")
        .hasMessageContaining("lastActivity 'now' is not an ISO-8601 instant");
  }

  @Test
  void decommissionPostsTheWorkersHost() throws Exception {
    await(client.decommissionWorkers(base, "10.1.2.3"));
    assertThat(requests).containsExactly("POST /workers/kill/?host=10.1.2.3");
  }

  @Test
  void decommissioningAHostWithoutWorkersSucceeds() throws Exception {
    status = 404;
    await(client.decommissionWorkers(base, "10.1.2.3"));
    assertThat(requests).hasSize(1);
  }

  @Test
  void aMasterThatRefusesDecommissioningSaysWhatItNeeds() {
    status = 405;
    assertThatThrownBy(() -> await(client.decommissionWorkers(base, "10.1.2.3")))
        .isInstanceOf(SparkUnreachableException.class)
        .hasMessageContaining("refused to decommission workers on 10.1.2.3 (HTTP 405)")
        .hasMessageContaining("spark.master.ui.decommission.allow.mode=ALLOW");
  }

  @Test
  void aServerErrorNamesTheAddressAndStatus() {
    status = 500;
    body = "oops";
    assertThatThrownBy(() -> await(client.masterStatus(base)))
        .isInstanceOf(SparkUnreachableException.class)
        .hasMessage("GET " + base + "/json/ (the Spark master) answered HTTP 500");
  }

  @Test
  void garbageIsUnreadable() {
    body = "<html>not json</html>";
    assertThatThrownBy(() -> await(client.masterStatus(base)))
        .isInstanceOf(SparkUnreachableException.class)
        .hasMessageStartingWith(
            "GET " + base + "/json/ (the Spark master) answered something unreadable");
  }

  @Test
  void jsonWithoutTheMastersFieldsIsUnreadable() {
    body = "{\"status\":\"ALIVE\"}";
    assertThatThrownBy(() -> await(client.masterStatus(base)))
        .isInstanceOf(SparkUnreachableException.class)
        .hasMessageContaining("no array 'workers'");
  }

  @Test
  void aSlowMasterTimesOutWithoutBlockingTheCaller() {
    hang = true;
    long start = System.nanoTime();
    CompletableFuture<MasterStatus> future = client.masterStatus(base);
    long returnedAfter = System.nanoTime() - start;

    assertThat(Duration.ofNanos(returnedAfter)).isLessThan(SHORT);
    assertThatThrownBy(() -> await(future))
        .isInstanceOf(SparkUnreachableException.class)
        .hasMessage("GET " + base + "/json/ (the Spark master): no answer within " + SHORT);
  }

  @Test
  void aRefusedConnectionNamesTheHostAndPort() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    URI nobody = URI.create("http://127.0.0.1:" + closedPort);
    assertThatThrownBy(() -> await(client.masterStatus(nobody)))
        .isInstanceOf(SparkUnreachableException.class)
        .hasMessage(
            "GET "
                + nobody
                + "/json/ (the Spark master): connection to 127.0.0.1:"
                + closedPort
                + " refused or unroutable");
  }
}
