package io.rspark.bridge;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.UDFRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sparklyr's gateway ({@code sparklyr.Shell} in service mode) from the jar inside the installed
 * sparklyr R package, in this JVM: its {@code SparkContext.getOrCreate} finds the shared context.
 * The jar is also added to the context so that executors run {@code spark_apply}'s worker code.
 */
final class SparklyrGateway {
  private static final Logger LOG = LoggerFactory.getLogger(SparklyrGateway.class);

  /** sparklyr's GatewayOperations: GetPorts 0, RegisterInstance 1, UnregisterInstance 2. */
  private static final int UNREGISTER_INSTANCE = 2;

  /** sparklyr session ids are positive; nothing ever registers this one. */
  private static final int UNUSED_SESSION = -1;

  private final BridgeConfig config;
  private volatile Thread thread;

  SparklyrGateway(BridgeConfig config) {
    this.config = config;
  }

  /** Starts the gateway, or returns empty when the image has no sparklyr jar. */
  Optional<String> start(SparkSession spark) throws IOException {
    SparkContext sc = spark.sparkContext();
    Path jar = config.sparklyrJar();
    if (!Files.isRegularFile(jar)) {
      LOG.warn("sparklyr gateway off: no sparklyr jar at {}", jar);
      return Optional.empty();
    }
    sc.addJar(jar.toUri().toString());
    URLClassLoader loader =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader());
    Method main;
    try {
      main = Class.forName("sparklyr.Shell", true, loader).getMethod("main", String[].class);
    } catch (ReflectiveOperationException e) {
      throw new IOException("no sparklyr.Shell in " + jar, e);
    }
    List<String> args =
        new ArrayList<>(
            List.of(
                Integer.toString(config.sparklyrPort()),
                Integer.toString(config.sparklyrSession()),
                "--service"));
    if (config.remoteClients()) {
      // sparklyr.Shell binds all interfaces only with --remote; loopback otherwise.
      args.add("--remote");
    }
    registerUdfs(loader, spark);
    String[] shellArgs = args.toArray(String[]::new);
    thread = new Thread(() -> run(main, shellArgs), "sparklyr-gateway");
    thread.setContextClassLoader(loader);
    thread.setDaemon(true);
    thread.start();
    awaitListening();
    String url =
        "sparklyr://"
            + config.bindAddress()
            + ":"
            + config.sparklyrPort()
            + "/"
            + config.sparklyrSession();
    LOG.info(
        "sparklyr gateway on {}, session backend ports {}-{}",
        url,
        config.sparklyrPort() + 1,
        config.sparklyrPort() + config.sparklyrSessions());
    return Optional.of(url);
  }

  /**
   * Registers sparklyr's SQL functions in the shared session, as every {@code spark_connect} does
   * again: the first registration in a JVM initialises Scala reflection, seconds that the first R
   * session after a (re)start would otherwise wait for. A sparklyr without them is still served.
   */
  private static void registerUdfs(ClassLoader loader, SparkSession spark) {
    long t0 = System.nanoTime();
    try {
      Class.forName("sparklyr.UdfUtils", true, loader)
          .getMethod("registerSparklyrUDFs", UDFRegistration.class)
          .invoke(null, spark.udf());
      LOG.info("sparklyr functions registered in {} ms", (System.nanoTime() - t0) / 1_000_000);
    } catch (ReflectiveOperationException | LinkageError e) {
      LOG.warn("sparklyr functions not registered ahead of the first session: {}", e.toString());
    }
  }

  /**
   * Starts watching the sessions' backend ports; called once the bridge has started every service,
   * so that the ports listening now are known to be the bridge's own.
   */
  void watchSessionPorts() {
    SparklyrSessionPorts ports =
        new SparklyrSessionPorts(
            config.sparklyrPort(), config.sparklyrSessions(), SparklyrSessionPorts.listening());
    ScheduledExecutorService watcher = DaemonScheduler.named("sparklyr-session-ports");
    watcher.scheduleWithFixedDelay(ports::check, 0, 2, TimeUnit.SECONDS);
  }

  boolean serving() {
    return thread != null && thread.isAlive();
  }

  private static void run(Method main, String[] args) {
    try {
      main.invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      LOG.error("sparklyr gateway stopped", e.getCause());
    } catch (IllegalAccessException e) {
      LOG.error("sparklyr gateway could not start", e);
    }
  }

  /**
   * Waits until the gateway answers. A bare connect-and-close would make sparklyr log {@code ERROR
   * ... EOFException} on every start (it reads a command from every connection), so the probe sends
   * a complete one: UnregisterInstance of a session id no client uses, which sparklyr answers with
   * status 0 and no other effect.
   */
  private void awaitListening() throws IOException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline && serving()) {
      try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), config.sparklyrPort())) {
        probe.setSoTimeout(5_000);
        DataOutputStream out = new DataOutputStream(probe.getOutputStream());
        out.writeInt(UNREGISTER_INSTANCE);
        out.writeInt(UNUSED_SESSION);
        out.flush();
        int status = new DataInputStream(probe.getInputStream()).readInt();
        if (status != 0) {
          throw new IOException("the sparklyr gateway answered the probe with status " + status);
        }
        return;
      } catch (SocketException | EOFException notYet) {
        // Refused before sparklyr listens; reset when the probe reached the socket sparklyr
        // opens and closes to check the port is free ("found port … is available"), which
        // crashed a bridge start once.
        sleep();
      }
    }
    throw new IOException("sparklyr gateway did not listen on port " + config.sparklyrPort());
  }

  private static void sleep() throws IOException {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
