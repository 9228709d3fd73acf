package io.rspark.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rspark.operator.runtime.HttpEndpoints.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpEndpointsTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void answersItsPathsAndNothingElse() throws Exception {
    try (HttpEndpoints endpoints =
        HttpEndpoints.start("test.port", 0, Map.of("/ping", () -> Response.text(200, "pong")))) {
      HttpResponse<String> ok = get(endpoints, "/ping");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).isEqualTo("pong\n");
      assertThat(ok.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");

      HttpResponse<String> missing = get(endpoints, "/pingx");
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.body()).contains("/ping");

      HttpResponse<String> post =
          http.send(
              HttpRequest.newBuilder(uri(endpoints, "/ping"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
    }
  }

  @Test
  void aTakenPortNamesTheOptionThatChoseIt() {
    try (HttpEndpoints first = HttpEndpoints.start("a.port", 0, Map.of())) {
      assertThatThrownBy(() -> HttpEndpoints.start("rspark.health.port", first.port(), Map.of()))
          .isInstanceOf(StartupException.class)
          .hasMessageStartingWith(
              "Cannot listen on port " + first.port() + " (rspark.health.port): ");
    }
  }

  private HttpResponse<String> get(HttpEndpoints endpoints, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(endpoints, path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(HttpEndpoints endpoints, String path) {
    return URI.create("http://127.0.0.1:" + endpoints.port() + path);
  }
}
