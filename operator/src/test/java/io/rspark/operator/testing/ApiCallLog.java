package io.rspark.operator.testing;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.rspark.operator.testing.RbacGrants.Grant;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The resource requests a fabric8 client sends, as the RBAC authoriser sees them (namespace, API
 * group, resource, object name, verb), and the status the API server answered. A PATCH answered 201
 * (server-side apply of a new object) counts as a create as well: the API server checks both.
 */
public final class ApiCallLog implements Interceptor {
  /** One request; {@code namespace} is empty for cluster-scoped calls, {@code name} for lists. */
  public record Call(
      String namespace, String apiGroup, String resource, String name, String verb, String uri) {
    /** The grant of {@code granted} that allows this call (RBAC's matching), if any. */
    public Optional<Grant> allowedBy(Collection<Grant> granted) {
      return granted.stream()
          .filter(g -> g.apiGroup().equals(apiGroup) && g.resource().equals(resource))
          .filter(g -> g.verb().equals(verb))
          .filter(g -> g.name().isEmpty() || (g.name().equals(name) && !verb.equals("create")))
          .findFirst();
    }

    @Override
    public String toString() {
      return verb + " " + uri;
    }
  }

  /** An answer: the request's method and URI and the HTTP status. */
  public record Answer(String method, String uri, int status) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<Answer> answers = new CopyOnWriteArrayList<>();

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  public List<Answer> answers() {
    return List.copyOf(answers);
  }

  /** A request sent by other means than the intercepted client. */
  public void record(String method, URI uri) {
    toCall(method, uri).ifPresent(calls::add);
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    toCall(request.method(), request.uri()).ifPresent(calls::add);
  }

  @Override
  public void after(
      HttpRequest request,
      HttpResponse<?> response,
      AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    answers.add(new Answer(request.method(), request.uri().toString(), response.code()));
    if (request.method().equals("PATCH") && response.code() == 201) {
      // A server-side apply that created the object: the API server authorised it as a create too.
      toCall("POST", request.uri()).ifPresent(calls::add);
    }
  }

  /**
   * {@code /api/v1/namespaces/NS/pods/NAME} or {@code
   * /apis/GROUP/VERSION/namespaces/NS/RES/NAME/SUB} to a grant; non-resource paths such as {@code
   * /version} give nothing.
   */
  static Optional<Call> toCall(String method, URI uri) {
    List<String> parts = Arrays.stream(uri.getPath().split("/")).filter(p -> !p.isEmpty()).toList();
    int at;
    String group;
    if (parts.size() >= 3 && parts.get(0).equals("api")) {
      group = "";
      at = 2;
    } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      at = 3;
    } else {
      return Optional.empty();
    }
    String namespace = "";
    if (parts.size() > at + 2 && parts.get(at).equals("namespaces")) {
      namespace = parts.get(at + 1);
      at += 2;
    }
    String resource = parts.get(at);
    String name = parts.size() > at + 1 ? parts.get(at + 1) : "";
    if (parts.size() > at + 2) {
      resource = resource + "/" + parts.get(at + 2);
    }
    String query = uri.getQuery() == null ? "" : uri.getQuery();
    String verb =
        switch (method) {
          case "GET" -> query.contains("watch=true") ? "watch" : name.isEmpty() ? "list" : "get";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
          default -> method.toLowerCase(java.util.Locale.ROOT);
        };
    return Optional.of(new Call(namespace, group, resource, name, verb, uri.toString()));
  }
}
