package io.rspark.operator.runtime;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * Gives up the leader Lease when a leading replica stops, as client-go's ReleaseOnCancel does:
 * JOSDK 5 leaves it held, so the next leader (or the same operator, restarted) waits out the whole
 * lease duration first.
 */
public final class LeaseRelease {
  private LeaseRelease() {}

  /**
   * Tries once, within {@code timeout}: a stopping process must not hang on an unreachable API.
   *
   * @return whether the Lease was held by {@code identity} and is now free
   */
  public static boolean release(
      Config config, String namespace, String name, String identity, Duration timeout) {
    try (KubernetesClient client = ApiServerCheck.impatientClient(config, timeout)) {
      Lease lease = client.leases().inNamespace(namespace).withName(name).get();
      if (lease == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return false;
      }
      ZonedDateTime now = ZonedDateTime.now().truncatedTo(ChronoUnit.MICROS);
      lease.getSpec().setHolderIdentity(null);
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setAcquireTime(now);
      lease.getSpec().setRenewTime(now);
      // Optimistic: a conflict means someone else changed the Lease, so it is no longer ours.
      client.leases().inNamespace(namespace).resource(lease).update();
      return true;
    } catch (KubernetesClientException e) {
      return false;
    }
  }
}
