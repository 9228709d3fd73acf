package io.rspark.operator.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A tiny HTTP server (the JDK's own) answering GET on a few fixed paths; for probes and scrapes.
 */
public final class HttpEndpoints implements AutoCloseable {
  /** What one path answers. */
  public record Response(int status, String contentType, String body) {
    public static Response text(int status, String body) {
      return new Response(status, "text/plain; charset=utf-8", body + "\n");
    }
  }

  private final HttpServer server;

  private HttpEndpoints(HttpServer server) {
    this.server = server;
  }

  /**
   * Listens on all interfaces, since the kubelet and Prometheus reach the pod from outside.
   *
   * @param option the configuration option that chose the port, named when the port is taken
   * @param port 0 picks a free port; {@link #port()} tells which
   */
  public static HttpEndpoints start(
      String option, int port, Map<String, Supplier<Response>> routes) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new StartupException(
          "Cannot listen on port " + port + " (" + option + "): " + StartupException.rootMessage(e),
          e);
    }
    server.createContext("/", exchange -> handle(exchange, routes));
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "http-" + option);
              t.setDaemon(true);
              return t;
            }));
    server.start();
    return new HttpEndpoints(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static void handle(HttpExchange exchange, Map<String, Supplier<Response>> routes)
      throws IOException {
    try (exchange) {
      Supplier<Response> route = routes.get(exchange.getRequestURI().getPath());
      String method = exchange.getRequestMethod();
      Response response;
      if (route == null) {
        response = Response.text(404, "not found; try " + String.join(", ", routes.keySet()));
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        response = Response.text(405, "only GET and HEAD");
      } else {
        response = route.get();
      }
      byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      if (method.equals("HEAD")) {
        exchange.sendResponseHeaders(response.status(), -1);
        return;
      }
      exchange.sendResponseHeaders(response.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
