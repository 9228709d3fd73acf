package io.rspark.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** With scheduler: kubernetes, the executor pods Spark created, as observed. */
public class ExecutorsStatus {
  @JsonPropertyDescription("Executor pods that are running.")
  public int running;

  @JsonPropertyDescription("Executor pods that exist and do not run yet (scheduling, pulling).")
  public int pending;

  public ExecutorsStatus() {}

  public ExecutorsStatus(int running, int pending) {
    this.running = running;
    this.pending = pending;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExecutorsStatus e && running == e.running && pending == e.pending;
  }

  @Override
  public int hashCode() {
    return Objects.hash(running, pending);
  }
}
