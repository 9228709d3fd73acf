package io.rspark.operator.testing;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.function.Consumer;

/** Reports every HTTP request a fabric8 client sends, so tests can count reads and writes. */
public final class RequestCounter implements Interceptor {
  /** One request: its HTTP method and URI path (with query). */
  public record Request(String method, String uri) {
    public boolean isWrite() {
      return !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
    }
  }

  private final Consumer<Request> listener;

  RequestCounter(Consumer<Request> listener) {
    this.listener = listener;
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, Interceptor.RequestTags tags) {
    listener.accept(new Request(request.method(), request.uri().toString()));
  }
}
