package io.rspark.bridge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * On all interfaces: {@code GET /ready}, 200 while the bridge serves, 503 otherwise; {@code GET
 * /activity}, the {@link DriverActivity} report as JSON once the application runs, 503 before.
 */
final class HealthServer implements Closeable {
  static final String READY_PATH = "/ready";
  static final String ACTIVITY_PATH = "/activity";

  private final HttpServer server;

  /** {@code activity} gives the report, or null while there is none yet. */
  HealthServer(int port, BooleanSupplier ready, Supplier<String> activity) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 16);
    server.createContext(
        READY_PATH,
        exchange -> {
          boolean ok = "GET".equals(exchange.getRequestMethod()) && ready.getAsBoolean();
          answer(exchange, ok ? 200 : 503, "text/plain", ok ? "ready\n" : "not ready\n");
        });
    server.createContext(
        ACTIVITY_PATH,
        exchange -> {
          if (!"GET".equals(exchange.getRequestMethod())) {
            answer(exchange, 405, "text/plain", "GET only\n");
            return;
          }
          String report = activity.get();
          if (report == null) {
            answer(exchange, 503, "text/plain", "no application yet\n");
          } else {
            answer(exchange, 200, "application/json", report);
          }
        });
  }

  void start() {
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
