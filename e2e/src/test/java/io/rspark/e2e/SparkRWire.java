package io.rspark.e2e;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * What {@code sparkR.session()} and SparkR's {@code sql()} send over the bridge's SparkR port,
 * spoken from Java so that a job can go through the real port-forward with no R client installed:
 * the authentication exchange, then {@code SparkSession.active().sql(query).first()} as RBackend
 * calls (Spark's {@code SerDe}: big-endian ints, strings as {@code int(len+1)} + UTF-8 + NUL, typed
 * values, JVM objects as tracker ids).
 */
final class SparkRWire implements Closeable {
  private static final int PING = 1;

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  private SparkRWire(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = new DataOutputStream(socket.getOutputStream());
  }

  /** Connects to a local (forwarded) port and authenticates with the printed secret. */
  static SparkRWire connect(int port, String secret) throws IOException {
    SparkRWire wire = new SparkRWire(new Socket(InetAddress.getLoopbackAddress(), port));
    wire.socket.setSoTimeout((int) E2eEnvironment.timeout().toMillis());
    String answer = wire.handshake(secret);
    if (!"ok".equals(answer)) {
      wire.close();
      throw new IOException("the SparkR backend refused the secret: " + answer);
    }
    return wire;
  }

  /** The authentication exchange alone: the backend's answer ("ok" for the right secret). */
  String handshake(String secret) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    writeString(new DataOutputStream(frame), secret);
    out.write(frame.toByteArray());
    out.flush();
    byte[] reply = in.readNBytes(in.readInt());
    return new String(reply, StandardCharsets.UTF_8).replace("\0", "");
  }

  /** Runs a query on the cluster's shared session; the first column of its first row, as text. */
  String firstValue(String query) throws IOException {
    String spark = (String) call(true, "org.apache.spark.sql.SparkSession", "active");
    String rows = (String) call(false, spark, "sql", query);
    String row = (String) call(false, rows, "first");
    Object value = call(false, row, "get", 0);
    return value instanceof Double d && d == Math.rint(d)
        ? Long.toString(d.longValue())
        : String.valueOf(value);
  }

  /** The id of the Spark application the SparkR sessions share. */
  String applicationId() throws IOException {
    String spark = (String) call(true, "org.apache.spark.sql.SparkSession", "active");
    String context = (String) call(false, spark, "sparkContext");
    return (String) call(false, context, "applicationId");
  }

  /** Runs a statement (e.g. CACHE TABLE) on the cluster's shared session; Spark runs it at once. */
  void execute(String statement) throws IOException {
    String spark = (String) call(true, "org.apache.spark.sql.SparkSession", "active");
    call(false, spark, "sql", statement);
  }

  /** One RBackend call; a JVM object comes back as its tracker id. */
  private Object call(boolean isStatic, String target, String method, Object... args)
      throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    DataOutputStream request = new DataOutputStream(buffer);
    request.writeInt(isStatic ? 1 : 0);
    writeString(request, target);
    writeString(request, method);
    request.writeInt(args.length);
    for (Object arg : args) {
      if (arg instanceof Integer i) {
        request.writeByte('i');
        request.writeInt(i);
      } else {
        request.writeByte('c');
        writeString(request, (String) arg);
      }
    }
    out.writeInt(buffer.size());
    buffer.writeTo(out);
    out.flush();
    int status = in.readInt();
    // While a call runs long, RBackend sends a bare status 1 now and then (its keep-alive ping,
    // which SparkR's R code skips the same way); the answer follows.
    while (status == PING) {
      status = in.readInt();
    }
    if (status != 0) {
      // A failed call answers with its message as a bare string, without a type.
      throw new IOException(target + "." + method + " failed on the cluster: " + readString());
    }
    return readValue();
  }

  private Object readValue() throws IOException {
    byte type = in.readByte();
    return switch (type) {
      case 'n' -> null;
      case 'c', 'j' -> readString();
      case 'i' -> in.readInt();
      case 'd' -> in.readDouble();
      case 'b' -> in.readInt() != 0;
      default -> throw new IOException("an answer of type '" + (char) type + "' is not read here");
    };
  }

  private String readString() throws IOException {
    byte[] bytes = in.readNBytes(in.readInt());
    int end = bytes.length > 0 && bytes[bytes.length - 1] == 0 ? bytes.length - 1 : bytes.length;
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
