package io.rspark.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.apache.spark.SparkEnv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkproject.connect.grpc.Grpc;
import org.sparkproject.connect.grpc.Metadata;
import org.sparkproject.connect.grpc.ServerCall;
import org.sparkproject.connect.grpc.ServerCallHandler;
import org.sparkproject.connect.grpc.ServerInterceptor;
import org.sparkproject.connect.grpc.Status;

/**
 * Lets a Spark Connect call in only with {@code authorization: Bearer <token>}, the token being the
 * cluster's Spark authentication secret: anyone holding it can already join the application, so the
 * endpoint grants nothing more. Spark 3.5's Connect server has no authentication of its own; Spark
 * instantiates this class from {@code spark.connect.grpc.interceptor.classes} with no arguments, so
 * it finds the secret's file through {@link #TOKEN_FILE_KEY} in the context's configuration (a
 * path, not the secret). A call without the token is closed with UNAUTHENTICATED before any later
 * interceptor or the service sees it, so nothing runs.
 */
public final class ConnectTokenInterceptor implements ServerInterceptor {
  /** Spark configuration key naming the file that holds the token. */
  public static final String TOKEN_FILE_KEY = "spark.rspark.connect.tokenFile";

  private static final Logger LOG = LoggerFactory.getLogger(ConnectTokenInterceptor.class);
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String BEARER = "Bearer ";

  private final byte[] token;

  public ConnectTokenInterceptor() {
    this(Path.of(SparkEnv.get().conf().get(TOKEN_FILE_KEY)));
  }

  ConnectTokenInterceptor(Path tokenFile) {
    try {
      token = SparkConfFactory.readSecret(tokenFile).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Spark Connect token", e);
    }
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String refusal = refusal(headers.get(AUTHORIZATION));
    if (refusal == null) {
      return next.startCall(call, headers);
    }
    SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    LOG.warn(
        "refused Spark Connect call {} from {}: {}",
        call.getMethodDescriptor().getFullMethodName(),
        peer,
        refusal);
    call.close(Status.UNAUTHENTICATED.withDescription(refusal), new Metadata());
    return new ServerCall.Listener<>() {};
  }

  /** Why a call with this authorization header is refused, or null when it may go on. */
  String refusal(String authorization) {
    if (authorization == null) {
      return "no bearer token (authorization header)";
    }
    if (!authorization.startsWith(BEARER)) {
      return "the authorization header is not a bearer token";
    }
    byte[] offered = authorization.substring(BEARER.length()).getBytes(StandardCharsets.UTF_8);
    // Constant time: the comparison must not tell a caller how much of a guess was right.
    return MessageDigest.isEqual(offered, token) ? null : "wrong bearer token";
  }
}
