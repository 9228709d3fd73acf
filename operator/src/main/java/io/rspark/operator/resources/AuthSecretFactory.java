package io.rspark.operator.resources;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
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

  private AuthSecretFactory() {}

  public static Secret create(ClusterModel model) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String secret = HexFormat.of().formatHex(bytes);
    return new SecretBuilder()
        .withMetadata(
            Owners.ownedMeta(
                model.cluster(),
                ResourceNames.authSecret(model.cluster()),
                Labels.forRole(model.cluster(), Role.CLUSTER)))
        .withType("Opaque")
        .withImmutable(true)
        .withData(
            Map.of(
                PodContract.AUTH_SECRET_KEY, Base64.getEncoder().encodeToString(secret.getBytes())))
        .build();
  }
}
