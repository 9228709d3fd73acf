package io.rspark.bridge;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import org.apache.spark.api.r.RAuthHelper;
import org.apache.spark.api.r.RBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * SparkR for every R process of the pod: Spark's own RBackend, in this JVM so that {@code
 * SparkContext.getOrCreate} in {@code sparkR.session()} finds the shared context. The RBackend
 * binds a random localhost port; {@link SparkRRelay} makes it reachable on the contract's fixed
 * port (which {@code kubectl port-forward} can target), and its secret goes to a 0600 file.
 */
final class SparkRService implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(SparkRService.class);

  private final BridgeConfig config;
  private RBackend backend;
  private SparkRRelay relay;

  private final Runnable onActivity;

  SparkRService(BridgeConfig config, Runnable onActivity) {
    this.config = config;
    this.onActivity = onActivity;
  }

  /** Starts the backend (needs a running SparkContext) and the relay; returns the relay's port. */
  int start() throws IOException {
    backend = new RBackend();
    Tuple2<Object, RAuthHelper> bound = backend.init();
    int backendPort = (Integer) bound._1();
    SecretFile.write(config.sparkRSecretFile(), bound._2().secret());
    Thread serve = new Thread(backend::run, "sparkr-backend");
    serve.setDaemon(true);
    serve.start();
    relay =
        new SparkRRelay(
            config.bindAddress(),
            config.sparkRPort(),
            backendPort,
            new SharedContextGuard(backend.jvmObjectTracker()),
            onActivity);
    relay.start();
    LOG.info(
        "SparkR backend on {}:{} (relayed to its localhost port {}); secret in {}",
        config.bindAddress(),
        relay.port(),
        backendPort,
        config.sparkRSecretFile());
    return relay.port();
  }

  boolean serving() {
    return relay != null && relay.serving();
  }

  /** SparkR sessions attached now. */
  int sessions() {
    return relay == null ? 0 : relay.sessions();
  }

  @Override
  public void close() throws IOException {
    if (relay != null) {
      relay.close();
    }
    if (backend != null) {
      backend.close();
    }
    Files.deleteIfExists(config.sparkRSecretFile());
  }
}
