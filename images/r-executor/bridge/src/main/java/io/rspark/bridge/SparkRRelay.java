package io.rspark.bridge;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays SparkR connections from the fixed loopback port to the RBackend's random one. It reads the
 * client's frames (the first is the authentication, the backend checks it) so that {@link
 * SharedContextGuard} can answer calls that would stop the shared application; everything else
 * passes through unchanged, and the backend's answers are copied back as they come.
 */
final class SparkRRelay implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(SparkRRelay.class);

  private final String bindAddress;
  private final int port;
  private final int backendPort;
  private final SharedContextGuard guard;
  private final Runnable onActivity;
  private final AtomicInteger sessions = new AtomicInteger();
  private ServerSocket server;

  /** {@code onActivity} runs when a session connects and at each request it sends. */
  SparkRRelay(
      String bindAddress,
      int port,
      int backendPort,
      SharedContextGuard guard,
      Runnable onActivity) {
    this.bindAddress = bindAddress;
    this.port = port;
    this.backendPort = backendPort;
    this.guard = guard;
    this.onActivity = onActivity;
  }

  /** SparkR sessions connected through the relay now. */
  int sessions() {
    return sessions.get();
  }

  void start() throws IOException {
    server = new ServerSocket(port, 50, InetAddress.getByName(bindAddress));
    Thread accept = new Thread(this::acceptLoop, "sparkr-relay");
    accept.setDaemon(true);
    accept.start();
  }

  int port() {
    return server.getLocalPort();
  }

  boolean serving() {
    return server != null && !server.isClosed();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        onActivity.run();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), backendPort);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        OutputStream toClient = client.getOutputStream();
        daemon("sparkr-relay-out", () -> copyAnswers(upstream, client, toClient));
        daemon("sparkr-relay-in", () -> forwardFrames(client, toClient, upstream));
      } catch (IOException e) {
        if (!server.isClosed()) {
          LOG.warn("SparkR relay could not accept a connection: {}", e.toString());
        }
      }
    }
  }

  private void copyAnswers(Socket upstream, Socket client, OutputStream toClient) {
    byte[] buf = new byte[64 * 1024];
    try (upstream;
        client;
        InputStream in = upstream.getInputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        synchronized (toClient) {
          toClient.write(buf, 0, n);
          toClient.flush();
        }
      }
    } catch (IOException e) {
      // Either side went away; closing both ends the other direction too.
    }
  }

  private void forwardFrames(Socket client, OutputStream toClient, Socket upstream) {
    sessions.incrementAndGet();
    try (client;
        upstream;
        DataInputStream in = new DataInputStream(client.getInputStream())) {
      DataOutputStream out = new DataOutputStream(upstream.getOutputStream());
      boolean authenticated = false;
      while (true) {
        byte[] frame = readFrame(in);
        onActivity.run();
        if (authenticated && refused(frame)) {
          synchronized (toClient) {
            DataOutputStream answer = new DataOutputStream(toClient);
            answer.writeInt(0);
            answer.writeByte('n');
            answer.flush();
          }
          continue;
        }
        out.writeInt(frame.length);
        out.write(frame);
        out.flush();
        authenticated = true;
      }
    } catch (EOFException e) {
      // The R session closed its connection.
    } catch (IOException e) {
      // Either side went away; closing both ends the other direction too.
    } finally {
      sessions.decrementAndGet();
      onActivity.run();
    }
  }

  private boolean refused(byte[] frame) throws IOException {
    DataInputStream req = new DataInputStream(new ByteArrayInputStream(frame));
    boolean isStatic = req.readInt() == 1;
    String objectId = readString(req);
    String method = readString(req);
    if (guard.refuses(isStatic, objectId, method)) {
      LOG.warn(
          "refused {}.{} from a SparkR session: the application is shared by the cluster",
          isStatic ? objectId : "shared context",
          method);
      return true;
    }
    return false;
  }

  private static byte[] readFrame(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      throw new IOException("negative frame length");
    }
    byte[] frame = new byte[length];
    in.readFully(frame);
    return frame;
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    int end = length > 0 && bytes[length - 1] == 0 ? length - 1 : length;
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }

  private static void daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    if (server != null) {
      server.close();
    }
  }
}
