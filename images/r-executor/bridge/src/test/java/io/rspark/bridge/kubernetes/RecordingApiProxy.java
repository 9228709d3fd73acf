package io.rspark.bridge.kubernetes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A plain-HTTP front of the kit's API server that records every request (method, path and query,
 * the bearer token it carried, the status it got) and forwards it over TLS. Each connection carries
 * one request: the proxy asks the server to close after answering, except for WebSocket upgrades
 * (fabric8's watches), which it pipes through. What it records is what the API server authorised,
 * so a test can compare the rights a client used with the rights it was given.
 */
final class RecordingApiProxy implements AutoCloseable {
  /** One request as the API server saw it. */
  record Call(String method, URI uri, String bearerToken, int status) {}

  private final ServerSocket server;
  private final String upstreamHost;
  private final int upstreamPort;
  private final SSLContext tls;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final List<Call> calls = new CopyOnWriteArrayList<>();

  RecordingApiProxy(URI apiServer) throws Exception {
    this.upstreamHost = apiServer.getHost();
    this.upstreamPort = apiServer.getPort();
    // The upstream is always the kit's API server on loopback; its certificate is not checked.
    this.tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {new TrustLoopback()}, new SecureRandom());
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    pool.submit(this::accept);
  }

  String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        pool.submit(() -> serve(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client;
        SSLSocket upstream =
            (SSLSocket) tls.getSocketFactory().createSocket(upstreamHost, upstreamPort)) {
      InputStream in = client.getInputStream();
      List<String> head = readHead(in);
      if (head.isEmpty()) {
        return;
      }
      String[] requestLine = head.get(0).split(" ");
      boolean upgrade =
          head.stream().anyMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("upgrade:"));
      String token = null;
      StringBuilder forwarded = new StringBuilder(head.get(0)).append("\r\n");
      for (String h : head.subList(1, head.size())) {
        String lower = h.toLowerCase(Locale.ROOT);
        if (lower.startsWith("authorization: bearer ")) {
          token = h.substring("authorization: bearer ".length()).trim();
        }
        if (lower.startsWith("host:") || (!upgrade && lower.startsWith("connection:"))) {
          continue;
        }
        forwarded.append(h).append("\r\n");
      }
      forwarded
          .append("Host: ")
          .append(upstreamHost)
          .append(':')
          .append(upstreamPort)
          .append("\r\n");
      if (!upgrade) {
        forwarded.append("Connection: close\r\n");
      }
      forwarded.append("\r\n");
      OutputStream toUpstream = upstream.getOutputStream();
      toUpstream.write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
      toUpstream.flush();
      String method = requestLine[0];
      URI uri = URI.create(requestLine[1]);
      String finalToken = token;
      pool.submit(() -> pipe(in, toUpstream));
      InputStream fromUpstream = upstream.getInputStream();
      String statusLine = readLine(fromUpstream);
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      calls.add(new Call(method, uri, finalToken, status));
      OutputStream toClient = client.getOutputStream();
      toClient.write((statusLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      pipe(fromUpstream, toClient);
    } catch (IOException e) {
      // A peer closed: the exchange is over.
    }
  }

  private static void pipe(InputStream from, OutputStream to) {
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = from.read(buffer)) >= 0; ) {
        to.write(buffer, 0, n);
        to.flush();
      }
    } catch (IOException e) {
      // The other direction closed the connection.
    }
  }

  private static List<String> readHead(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
      lines.add(line);
    }
    return lines;
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) >= 0; ) {
      if (b == '\n') {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    server.close();
    pool.shutdownNow();
  }

  /** Accepts the kit's self-issued certificate; the proxy connects to nothing else. */
  private static final class TrustLoopback implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
