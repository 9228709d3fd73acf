package io.rspark.bridge;

import java.io.File;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkFiles;
import org.apache.spark.rpc.RpcEnvFileServer;
import org.apache.spark.rpc.netty.NettyStreamManager;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.JavaConverters;
import scala.collection.concurrent.Map;

/**
 * Keeps a file one R session added to the shared application from failing everyone's tasks once it
 * is gone. Spark serves an added file from the path it was added from and lists it as a dependency
 * of every later task, so when that path disappears (sparklyr's spark_apply bundle lives in the R
 * session's temp dir, removed when the session ends) every executor that has not fetched it yet
 * fails every task ("Stream '/files/…' was not found"). The guard drops such files from the
 * application's list, on every job start and every few seconds: executors that have the file keep
 * it, new ones no longer ask for it. It also deletes the driver's own copy, which addFile made in
 * the driver's SparkFiles directory for the application's lifetime: with sparklyr's bundle (the
 * whole .libPaths(), 670 MB in the image) that copy alone grew the driver's disk by one bundle per
 * session.
 */
final class SessionFilesGuard extends SparkListener {
  private static final Logger LOG = LoggerFactory.getLogger(SessionFilesGuard.class);

  /** Names of the files dropped so far, for {@link SessionFilesPlugin} on the executors. */
  private static final Set<String> DROPPED = ConcurrentHashMap.newKeySet();

  private final SparkContext sc;

  static Set<String> dropped() {
    return DROPPED;
  }

  SessionFilesGuard(SparkContext sc) {
    this.sc = sc;
  }

  void start() {
    sc.addSparkListener(this);
    ScheduledExecutorService timer = DaemonScheduler.named("session-files-guard");
    timer.scheduleWithFixedDelay(this::dropVanishedFiles, 2, 2, TimeUnit.SECONDS);
  }

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    dropVanishedFiles();
  }

  synchronized void dropVanishedFiles() {
    RpcEnvFileServer server = sc.env().rpcEnv().fileServer();
    for (Map<String, Object> files : JavaConverters.asJavaCollection(sc.addedFiles().values())) {
      for (String url : JavaConverters.asJavaCollection(files.keys())) {
        URI uri = URI.create(url);
        boolean servable =
            switch (uri.getScheme()) {
              case "spark" ->
                  !(server instanceof NettyStreamManager streams)
                      || streams.openStream(uri.getPath()) != null;
              case "file" -> new File(uri).isFile();
              default -> true;
            };
        if (!servable) {
          files.remove(url);
          String name = new File(uri.getPath()).getName();
          DROPPED.add(name);
          if (server instanceof NettyStreamManager streams) {
            streams.removeFile(name);
          }
          File driverCopy = new File(SparkFiles.getRootDirectory(), name);
          if (driverCopy.isFile() && !driverCopy.delete()) {
            LOG.warn("could not delete the driver's copy of a dropped file: {}", driverCopy);
          }
          LOG.warn(
              "an added file is gone from where it was added from (an R session that added it"
                  + " ended?); new executors will no longer fetch it: {}",
              url);
        }
      }
    }
  }
}
