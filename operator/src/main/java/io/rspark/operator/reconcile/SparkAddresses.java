package io.rspark.operator.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.rspark.operator.spark.PodContract;
import java.net.URI;
import java.util.Optional;

/**
 * Where the operator reaches a cluster's Spark master UI, the driver's bridge and the workers' UIs:
 * the one seam between a driver pod and the URLs {@link io.rspark.operator.spark.SparkClient} is
 * given, so that tests can point it at a local server playing the master.
 */
public interface SparkAddresses {
  /** The master web UI's base, e.g. http://10.1.2.3:8080; empty while the pod has no IP. */
  Optional<URI> masterUi(Pod driver);

  /** The bridge's health server base, e.g. http://10.1.2.3:8899; empty likewise. */
  Optional<URI> bridge(Pod driver);

  /** A worker's web UI base, e.g. http://10.1.2.4:8081; empty while the pod has no IP. */
  Optional<URI> workerUi(Pod worker);

  /**
   * The driver pod's own IP: reachable from the operator's pods through the cluster's
   * NetworkPolicy, and no DNS lookup of a Service that may point at a pod being replaced.
   */
  static SparkAddresses podIp() {
    return new SparkAddresses() {
      @Override
      public Optional<URI> masterUi(Pod driver) {
        return at(driver, PodContract.MASTER_UI_PORT);
      }

      @Override
      public Optional<URI> bridge(Pod driver) {
        return at(driver, PodContract.BRIDGE_HEALTH_PORT);
      }

      @Override
      public Optional<URI> workerUi(Pod worker) {
        return at(worker, PodContract.WORKER_UI_PORT);
      }
    };
  }

  /** http://POD-IP:PORT, empty while the pod has no IP. */
  private static Optional<URI> at(Pod pod, int port) {
    return ip(pod).map(ip -> URI.create("http://" + ip + ":" + port));
  }

  private static Optional<String> ip(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getPodIP() == null) {
      return Optional.empty();
    }
    String ip = pod.getStatus().getPodIP();
    // An IPv6 address needs brackets in a URL.
    return Optional.of(ip.contains(":") ? "[" + ip + "]" : ip);
  }
}
