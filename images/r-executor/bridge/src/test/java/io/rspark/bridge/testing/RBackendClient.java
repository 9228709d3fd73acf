package io.rspark.bridge.testing;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A client of SparkR's RBackend, speaking its wire format the way SparkR's R code does
 * (spark-facts.md): big-endian ints, strings as {@code int(len+1)} + UTF-8 + NUL, one request frame
 * per call, answers without a frame length.
 */
public final class RBackendClient implements Closeable {
  /** A reference to a JVM object held by the backend's tracker. */
  public record JObj(String id) {}

  /** The backend answered a call with an error status. */
  public static final class CallFailed extends IOException {
    CallFailed(String message) {
      super(message);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  private RBackendClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = new DataOutputStream(socket.getOutputStream());
  }

  /** Connects and authenticates; throws when the backend answers anything but "ok". */
  public static RBackendClient connect(int port, String secret) throws IOException {
    RBackendClient client = new RBackendClient(new Socket(InetAddress.getLoopbackAddress(), port));
    client.socket.setSoTimeout(120_000);
    String answer = client.authenticate(secret);
    if (!"ok".equals(answer)) {
      client.close();
      throw new IOException("authentication refused: " + answer);
    }
    return client;
  }

  /**
   * Sends the secret and returns the backend's answer ("ok" or "err"), or null on a closed socket.
   */
  public static String tryAuthenticate(int port, String secret) throws IOException {
    try (RBackendClient client =
        new RBackendClient(new Socket(InetAddress.getLoopbackAddress(), port))) {
      client.socket.setSoTimeout(10_000);
      return client.authenticate(secret);
    }
  }

  private String authenticate(String secret) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    writeString(new DataOutputStream(frame), secret);
    out.write(frame.toByteArray());
    out.flush();
    try {
      int length = in.readInt();
      byte[] bytes = new byte[length];
      in.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException closed) {
      return null;
    }
  }

  public Object callStatic(String className, String method, Object... args) throws IOException {
    return call(true, className, method, args);
  }

  public Object call(JObj target, String method, Object... args) throws IOException {
    return call(false, target.id(), method, args);
  }

  private Object call(boolean isStatic, String objectId, String method, Object[] args)
      throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    DataOutputStream req = new DataOutputStream(buffer);
    req.writeInt(isStatic ? 1 : 0);
    writeString(req, objectId);
    writeString(req, method);
    req.writeInt(args.length);
    for (Object arg : args) {
      writeArg(req, arg);
    }
    out.writeInt(buffer.size());
    out.write(buffer.toByteArray());
    out.flush();
    int status = in.readInt();
    if (status != 0) {
      throw new CallFailed(
          objectId + "." + method + " failed: " + readPlainString() + " (status " + status + ")");
    }
    return readValue(in.readByte());
  }

  private static void writeArg(DataOutputStream req, Object arg) throws IOException {
    if (arg == null) {
      req.writeByte('n');
    } else if (arg instanceof String s) {
      req.writeByte('c');
      writeString(req, s);
    } else if (arg instanceof Integer i) {
      req.writeByte('i');
      req.writeInt(i);
    } else if (arg instanceof Double d) {
      req.writeByte('d');
      req.writeDouble(d);
    } else if (arg instanceof Boolean b) {
      req.writeByte('b');
      req.writeInt(b ? 1 : 0);
    } else if (arg instanceof JObj j) {
      req.writeByte('j');
      writeString(req, j.id());
    } else {
      throw new IllegalArgumentException("no wire type for " + arg.getClass());
    }
  }

  private Object readValue(byte type) throws IOException {
    return switch (type) {
      case 'n' -> null;
      case 'c' -> readPlainString();
      case 'i' -> in.readInt();
      case 'd' -> in.readDouble();
      case 'b' -> in.readInt() != 0;
      case 'j' -> new JObj(readPlainString());
      default -> throw new IOException("unsupported answer type '" + (char) type + "'");
    };
  }

  private String readPlainString() throws IOException {
    int length = in.readInt();
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    int end = length > 0 && bytes[length - 1] == 0 ? length - 1 : length;
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length + 1);
    out.write(bytes);
    out.writeByte(0);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
