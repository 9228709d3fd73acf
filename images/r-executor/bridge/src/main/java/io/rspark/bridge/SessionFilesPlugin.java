package io.rspark.bridge;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes, on every executor, its copies of the files {@link SessionFilesGuard} dropped. An
 * executor keeps what it fetched for its whole life, and the bridge's executors live as long as the
 * workers: each R session that ran sparklyr's spark_apply with packages = TRUE left its bundle (the
 * whole .libPaths(), 670 MB in the image) on every executor that ran one of its tasks, twice: the
 * fetched tar and sparklyr's own unpacked copy under {@value #SPARKLYR_UNBUNDLE_DIR}. Spark's
 * legacy unpacking of a fetched .tar beside it is not deleted: it is the same package directories
 * every bundle overwrites. Executors ask the driver for the dropped names every {@value
 * #PERIOD_SECONDS} s; a name is dropped only once its source is gone, so no running session loses a
 * file.
 */
public final class SessionFilesPlugin implements SparkPlugin {
  static final String DROPPED_FILES = "dropped-files";

  /** Where sparklyr's executor-side worker unpacks a bundle (sparklyr R/worker_apply.R). */
  static final String SPARKLYR_UNBUNDLE_DIR = "sparklyr-bundle";

  static final int PERIOD_SECONDS = 10;
  private static final Logger LOG = LoggerFactory.getLogger(SessionFilesPlugin.class);

  @Override
  public DriverPlugin driverPlugin() {
    return new DriverPlugin() {
      @Override
      public Object receive(Object message) {
        return DROPPED_FILES.equals(message) ? new ArrayList<>(SessionFilesGuard.dropped()) : null;
      }
    };
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      private ScheduledExecutorService timer;

      @Override
      public void init(PluginContext ctx, Map<String, String> extraConf) {
        timer = DaemonScheduler.named("session-files-cleaner");
        timer.scheduleWithFixedDelay(
            () -> deleteDropped(ctx), PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
      }

      @Override
      public void shutdown() {
        if (timer != null) {
          timer.shutdownNow();
        }
      }
    };
  }

  private static void deleteDropped(PluginContext ctx) {
    try {
      @SuppressWarnings("unchecked")
      List<String> names = (List<String>) ctx.ask(DROPPED_FILES);
      Path root = new File(SparkFiles.getRootDirectory()).toPath();
      for (String name : names) {
        deleteTree(root.resolve(name));
        if (name.endsWith(".tar")) {
          String bundle = name.substring(0, name.length() - ".tar".length());
          deleteTree(root.resolve(SPARKLYR_UNBUNDLE_DIR).resolve(bundle));
        }
      }
    } catch (Exception e) {
      // The next round tries again; a driver that went away ends this executor anyway.
      LOG.warn("could not delete files of ended R sessions: {}", e.toString());
    }
  }

  private static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> tree = Files.walk(path)) {
      for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
    LOG.info("deleted this executor's copy of a file an ended R session added: {}", path);
  }
}
