package io.rspark.bridge;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Background timers of the bridge and its executor plugin: one named daemon thread each. */
final class DaemonScheduler {
  private DaemonScheduler() {}

  /**
   * A single-thread scheduler whose thread is named {@code name} (so a thread dump says what it is)
   * and is a daemon, so it never keeps a stopping JVM alive.
   */
  static ScheduledExecutorService named(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        task -> {
          Thread t = new Thread(task, name);
          t.setDaemon(true);
          return t;
        });
  }
}
