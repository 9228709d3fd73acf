package io.rspark.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which authorization headers let a Spark Connect call in; the refusals never echo a token. */
class ConnectTokenInterceptorTest {
  @TempDir Path dir;

  @Test
  void onlyTheBearerTokenFromTheFileGoesOn() throws Exception {
    Path file = dir.resolve("spark-auth-secret");
    Files.writeString(file, "c0ffee\n");
    ConnectTokenInterceptor interceptor = new ConnectTokenInterceptor(file);

    assertThat(interceptor.refusal("Bearer c0ffee")).isNull();
    assertThat(interceptor.refusal(null)).isEqualTo("no bearer token (authorization header)");
    assertThat(interceptor.refusal("c0ffee"))
        .isEqualTo("the authorization header is not a bearer token");
    assertThat(interceptor.refusal("Basic c0ffee"))
        .isEqualTo("the authorization header is not a bearer token");
    assertThat(interceptor.refusal("Bearer c0ffe")).isEqualTo("wrong bearer token");
    assertThat(interceptor.refusal("Bearer c0ffee ")).isEqualTo("wrong bearer token");
    assertThat(interceptor.refusal("Bearer ")).isEqualTo("wrong bearer token");
  }

  @Test
  void withoutATokenFileNothingStarts() {
    assertThatThrownBy(() -> new ConnectTokenInterceptor(dir.resolve("missing")))
        .hasMessageContaining("cannot read the Spark Connect token");
  }
}
