package io.rspark.operator.resources;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.rspark.operator.api.Scheduler;
import io.rspark.operator.spark.PodContract;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * The Secret holding the cluster's Spark authentication secret: 32 random bytes, hex encoded,
 * created once and never rewritten (running pods hold it). It is only ever mounted as a file.
 */
public final class AuthSecretFactory {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** On the Secret of a kubernetes-mode cluster; absent means standalone. */
  public static final String SCHEDULER_ANNOTATION = "rspark.io/scheduler";

  private AuthSecretFactory() {}

  /** The mode the cluster owning {@code secret} was created with. */
  public static Scheduler createdWith(Secret secret) {
    Map<String, String> annotations = secret.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(SCHEDULER_ANNOTATION);
    return Scheduler.KUBERNETES.value().equals(value) ? Scheduler.KUBERNETES : Scheduler.STANDALONE;
  }

  public static Secret create(ClusterModel model) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String secret = HexFormat.of().formatHex(bytes);
    ObjectMeta meta =
        Owners.ownedMeta(
            model.cluster(),
            ResourceNames.authSecret(model.cluster()),
            Labels.forRole(model.cluster(), Role.CLUSTER));
    if (model.kubernetesScheduler()) {
      // The Secret is written once and never changed: it records the mode the cluster was made
      // with, so a switch is caught even where admission has no CEL (SpecValidator).
      meta.setAnnotations(Map.of(SCHEDULER_ANNOTATION, model.scheduler().value()));
    }
    return new SecretBuilder()
        .withMetadata(meta)
        .withType("Opaque")
        .withImmutable(true)
        .withData(
            Map.of(
                PodContract.AUTH_SECRET_KEY, Base64.getEncoder().encodeToString(secret.getBytes())))
        .build();
  }
}
