package io.rspark.operator.reconcile;

import io.rspark.operator.api.RSparkCluster;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link ClusterEvents} kept as {@code "Reason: message"}, in order. */
final class RecordingEvents implements ClusterEvents {
  final List<String> recorded = new ArrayList<>();

  @Override
  public void record(RSparkCluster cluster, Reason reason, String message, Instant now) {
    recorded.add(reason + ": " + message);
  }

  List<String> reasons() {
    return recorded.stream().map(e -> e.substring(0, e.indexOf(':'))).toList();
  }
}
