package io.rspark.operator.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rspark.operator.config.OperatorConfig;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * {@link SparkClient} over the JDK's HTTP client: every call is asynchronous and bounded by the
 * connect and request timeouts, and every failure is a {@link SparkUnreachableException} that names
 * the address and what went wrong.
 *
 * <p>Decommissioning is Spark 3.5's standalone mechanism: {@code POST <master
 * UI>/workers/kill/?host=<ip>} (the master must run with {@code spark.decommission.enabled} and
 * {@code spark.master.ui.decommission.allow.mode=ALLOW}, see {@link SparkDefaults}). The master
 * answers 200 when it decommissions at least one worker from that host, 404 when none is registered
 * from it (already gone, or never registered: nothing left to decommission, so the call completes
 * normally), 405 when decommissioning is disabled or refused for this caller.
 */
public final class HttpSparkClient implements SparkClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final Duration connectTimeout;
  private final Duration requestTimeout;

  public HttpSparkClient(Duration connectTimeout, Duration requestTimeout) {
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  public static HttpSparkClient from(OperatorConfig config) {
    return new HttpSparkClient(
        config.get(OperatorConfig.SPARK_CONNECT_TIMEOUT),
        config.get(OperatorConfig.SPARK_REQUEST_TIMEOUT));
  }

  @Override
  public CompletableFuture<MasterStatus> masterStatus(URI masterUi) {
    URI uri = masterUi.resolve("/json/");
    return get(uri, "the Spark master", HttpSparkClient::parseMasterStatus);
  }

  @Override
  public CompletableFuture<DriverActivity> driverActivity(URI bridgeHealth) {
    URI uri = bridgeHealth.resolve("/activity");
    return get(uri, "the driver's bridge", HttpSparkClient::parseDriverActivity);
  }

  @Override
  public CompletableFuture<Void> decommissionWorkers(URI masterUi, String host) {
    URI uri =
        masterUi.resolve("/workers/kill/?host=" + URLEncoder.encode(host, StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    return send(request, "the Spark master")
        .thenApply(
            response -> {
              switch (response.statusCode()) {
                case 200, 404:
                  return null;
                case 405:
                  throw new SparkUnreachableException(
                      "The Spark master at "
                          + authority(uri)
                          + " refused to decommission workers on "
                          + host
                          + " (HTTP 405): it needs spark.decommission.enabled=true and"
                          + " spark.master.ui.decommission.allow.mode=ALLOW");
                default:
                  throw new SparkUnreachableException(
                      "POST "
                          + uri
                          + " to decommission workers on "
                          + host
                          + " answered HTTP "
                          + response.statusCode());
              }
            });
  }

  @Override
  public CompletableFuture<Integer> runningExecutors(URI workerUi) {
    URI uri = workerUi.resolve("/json/");
    return get(
        uri,
        "the Spark worker",
        json -> {
          JsonNode executors = json.get("executors");
          if (executors == null || !executors.isArray()) {
            throw new IllegalArgumentException("no list of executors");
          }
          return executors.size();
        });
  }

  private <T> CompletableFuture<T> get(URI uri, String what, Function<JsonNode, T> parser) {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("Accept", "application/json")
            .GET()
            .build();
    return send(request, what)
        .thenApply(
            response -> {
              if (response.statusCode() != 200) {
                throw new SparkUnreachableException(
                    "GET " + uri + " (" + what + ") answered HTTP " + response.statusCode());
              }
              try {
                return parser.apply(JSON.readTree(response.body()));
              } catch (JsonProcessingException | RuntimeException e) {
                throw new SparkUnreachableException(
                    "GET "
                        + uri
                        + " ("
                        + what
                        + ") answered something unreadable: "
                        + String.valueOf(e.getMessage()).lines().findFirst().orElse(""),
                    e);
              }
            });
  }

  private CompletableFuture<HttpResponse<String>> send(HttpRequest request, String what) {
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .exceptionally(
            failure -> {
              throw unreachable(request, what, unwrap(failure));
            });
  }

  private SparkUnreachableException unreachable(HttpRequest request, String what, Throwable cause) {
    String where = request.method() + " " + request.uri() + " (" + what + ")";
    String why;
    if (cause instanceof HttpConnectTimeoutException) {
      why = "could not connect to " + authority(request.uri()) + " within " + connectTimeout;
    } else if (cause instanceof HttpTimeoutException) {
      why = "no answer within " + requestTimeout;
    } else if (cause instanceof ConnectException) {
      why = "connection to " + authority(request.uri()) + " refused or unroutable";
    } else {
      why = cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
    return new SparkUnreachableException(where + ": " + why, cause);
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String authority(URI uri) {
    return uri.getHost() + ":" + uri.getPort();
  }

  static MasterStatus parseMasterStatus(JsonNode json) {
    List<SparkWorker> workers = new ArrayList<>();
    for (JsonNode w : array(json, "workers")) {
      workers.add(
          new SparkWorker(
              text(w, "id"),
              text(w, "host"),
              number(w, "cores"),
              number(w, "coresused"),
              text(w, "state")));
    }
    List<SparkApp> apps = new ArrayList<>();
    for (JsonNode a : array(json, "activeapps")) {
      apps.add(new SparkApp(text(a, "id"), text(a, "name"), text(a, "state"), number(a, "cores")));
    }
    return new MasterStatus(text(json, "status"), workers, apps);
  }

  static DriverActivity parseDriverActivity(JsonNode json) {
    String last = text(json, "lastActivity");
    try {
      return new DriverActivity(
          number(json, "attachedRSessions"),
          // A bridge from before Spark Connect does not report it: it has none running.
          json.has("connectOperations") ? number(json, "connectOperations") : 0,
          number(json, "activeJobs"),
          number(json, "pendingTasks"),
          Instant.parse(last));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("lastActivity '" + last + "' is not an ISO-8601 instant");
    }
  }

  private static JsonNode array(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || !value.isArray()) {
      throw new IllegalArgumentException("no array '" + field + "'");
    }
    return value;
  }

  private static String text(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("no text field '" + field + "'");
    }
    return value.asText();
  }

  private static int number(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || !value.canConvertToInt()) {
      throw new IllegalArgumentException("no whole-number field '" + field + "'");
    }
    return value.intValue();
  }
}
