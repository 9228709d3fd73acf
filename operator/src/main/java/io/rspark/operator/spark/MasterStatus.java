package io.rspark.operator.spark;

import java.util.List;

/**
 * The standalone master's view at one moment ({@code GET <master UI>/json/}): its own status, the
 * workers it knows, and the applications that are not finished. Apps waiting for cores appear in
 * {@code activeApps} with state WAITING (the JSON has no list of waiting apps).
 */
public record MasterStatus(String status, List<SparkWorker> workers, List<SparkApp> activeApps) {
  public MasterStatus {
    workers = List.copyOf(workers);
    activeApps = List.copyOf(activeApps);
  }
}
