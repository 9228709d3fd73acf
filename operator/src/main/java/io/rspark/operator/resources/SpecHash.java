package io.rspark.operator.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short digest of a rendered object. Objects carry the digest of what the operator rendered for
 * them in {@link #ANNOTATION}; comparing digests tells whether an object is up to date without
 * reading fields the API server defaults or rewrites.
 */
public final class SpecHash {
  public static final String ANNOTATION = "rspark.io/spec-hash";

  private SpecHash() {}

  /** Map keys sorted, so that the digest does not depend on the iteration order of a map. */
  private static final ObjectMapper CANONICAL =
      Serialization.jsonMapper().copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  public static String of(Object rendered) {
    try {
      return digest(CANONICAL.writeValueAsString(rendered));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Cannot serialise " + rendered, e);
    }
  }

  public static String digest(String text) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Stamps {@code object} with the digest of its current content and returns it. */
  public static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T stamp(T object) {
    String hash = of(object);
    if (object.getMetadata().getAnnotations() == null) {
      object.getMetadata().setAnnotations(new java.util.LinkedHashMap<>());
    }
    object.getMetadata().getAnnotations().put(ANNOTATION, hash);
    return object;
  }

  /** The digest an existing object carries, or null. */
  public static String carried(io.fabric8.kubernetes.api.model.HasMetadata object) {
    var annotations = object.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(ANNOTATION);
  }

  /**
   * Stamps {@code desired} with its digest; true when {@code existing} is there and carries the
   * same digest, so that writing {@code desired} would change nothing.
   */
  public static boolean stampAndMatch(
      io.fabric8.kubernetes.api.model.HasMetadata desired,
      java.util.Optional<? extends io.fabric8.kubernetes.api.model.HasMetadata> existing) {
    stamp(desired);
    return existing.isPresent() && carried(desired).equals(carried(existing.get()));
  }
}
