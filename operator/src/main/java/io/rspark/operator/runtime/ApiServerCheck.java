package io.rspark.operator.runtime;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * One {@code GET /version} with a short timeout and no retries before any informer starts: the
 * client's own retries with back-off would otherwise hide a wrong kube context behind minutes of
 * silence.
 */
public final class ApiServerCheck {
  private ApiServerCheck() {}

  /**
   * @return the server's version
   * @throws StartupException naming the server URL tried, when it cannot be reached or refuses us
   */
  public static VersionInfo verify(Config config, Duration timeout) {
    try (KubernetesClient client = impatientClient(config, timeout)) {
      return client.getKubernetesVersion();
    } catch (KubernetesClientException e) {
      String server = config.getMasterUrl();
      if (e.getCode() == HttpURLConnection.HTTP_UNAUTHORIZED
          || e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
        throw new StartupException(
            "The Kubernetes API server at "
                + server
                + " refused the credentials of the current kube context (HTTP "
                + e.getCode()
                + "); check KUBECONFIG and its current context",
            e);
      }
      throw new StartupException(
          "Cannot reach the Kubernetes API server at "
              + server
              + " ("
              + reason(e, timeout)
              + "); check the current kube context, or point KUBECONFIG at a reachable cluster",
          e);
    }
  }

  /** A client for {@code config} that tries each request once, for at most {@code timeout}. */
  static KubernetesClient impatientClient(Config config, Duration timeout) {
    int millis = Math.toIntExact(timeout.toMillis());
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(config)
                .withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(millis)
                .withRequestTimeout(millis)
                .build())
        .build();
  }

  /** The JDK client nests the useful part (a refused connection, an unknown host) deep down. */
  static String reason(Throwable e, Duration timeout) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    if (chain.stream()
        .anyMatch(
            t -> t instanceof UnknownHostException || t instanceof UnresolvedAddressException)) {
      return "unknown host";
    }
    if (chain.stream()
        .anyMatch(t -> t instanceof HttpTimeoutException || t instanceof SocketTimeoutException)) {
      return "no answer within " + timeout.toSeconds() + " s";
    }
    for (Throwable t : chain) {
      if (t instanceof SSLException) {
        return "TLS failed: " + t.getMessage();
      }
    }
    if (chain.stream().anyMatch(t -> t instanceof ConnectException)) {
      return "could not connect";
    }
    return StartupException.rootMessage(e);
  }
}
