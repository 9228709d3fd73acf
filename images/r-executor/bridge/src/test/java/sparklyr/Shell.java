package sparklyr;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;

/**
 * A stand-in for sparklyr 1.8.6's gateway ({@code java/spark-2.4.0/backend.scala}) for CI, where
 * the sparklyr R package and its jar cannot be had: {@code Shell <port> <sessionId> --service
 * [--remote]} accepts connections as sparklyr's does, reads a command id from each, answers
 * UnregisterInstance (2) with status 0, and logs a connection that closes before sending a command
 * the way sparklyr logs it (an ERROR line with the EOFException). The real jar is exercised by
 * RClientsIT.
 */
public final class Shell {
  private static final int UNREGISTER_INSTANCE = 2;

  private Shell() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    int sessionId = Integer.parseInt(args[1]);
    InetAddress address =
        Arrays.asList(args).contains("--remote")
            ? InetAddress.getByName("0.0.0.0")
            : InetAddress.getLoopbackAddress();
    try (ServerSocket server = new ServerSocket(port, 100, address)) {
      while (true) {
        Socket connection = server.accept();
        new Thread(() -> serve(connection, sessionId), "stand-in-gateway").start();
      }
    }
  }

  private static void serve(Socket connection, int sessionId) {
    try (connection) {
      DataInputStream in = new DataInputStream(connection.getInputStream());
      int command = in.readInt();
      System.out.println("INFO sparklyr: Gateway (" + sessionId + ") received command " + command);
      if (command == UNREGISTER_INSTANCE) {
        in.readInt();
        DataOutputStream out = new DataOutputStream(connection.getOutputStream());
        out.writeInt(0);
        out.flush();
      }
    } catch (EOFException e) {
      System.err.println("ERROR sparklyr: Gateway (" + sessionId + ") failed with exception ," + e);
    } catch (IOException e) {
      System.err.println("ERROR sparklyr: Gateway (" + sessionId + ") failed: " + e);
    }
  }
}
