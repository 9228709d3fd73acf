package io.rspark.bridge.testing;

/**
 * Spark's JVM Spark Connect client as a command, for the e2e suite, which runs it the way a user's
 * laptop would: against the URL {@code kubectl rspark connect --print} printed, through the real
 * port-forward. {@code ConnectQuery URL SQL} prints {@code application <spark.app.id>} and {@code
 * value <first column of the first row>}; a refused or failed call prints {@code failed: <error>}
 * to stderr and exits with 2. Needs the system properties {@code rspark.spark.home} and {@code
 * rspark.connect.client.jar} (the bridge module's test SPARK_HOME and client jar).
 */
public final class ConnectQuery {
  private ConnectQuery() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: ConnectQuery URL SQL");
      System.exit(64);
    }
    int status = 0;
    try (ConnectClient connect = ConnectClient.connect(args[0])) {
      long value = connect.sqlLong(args[1]);
      System.out.println("application " + connect.conf("spark.app.id"));
      System.out.println("value " + value);
    } catch (Exception e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      System.err.println("failed: " + e + " (" + root + ")");
      status = 2;
    }
    // gRPC's channel threads would keep the JVM alive.
    System.exit(status);
  }
}
