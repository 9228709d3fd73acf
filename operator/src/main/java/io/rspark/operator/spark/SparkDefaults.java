package io.rspark.operator.spark;

import io.rspark.operator.resources.PodContract;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The spark-defaults.conf of a cluster: the operator's settings, then the user's {@code sparkConf}
 * over the overridable ones. Keys the operator owns were refused before this point (see {@code
 * OperatorOwnedSparkConf}). The secret is never written here: the image adds it at start-up.
 */
public final class SparkDefaults {
  private SparkDefaults() {}

  public static Map<String, String> merge(
      String masterUrl, ContainerSizing workerSizing, int workers, Map<String, String> userConf) {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.master", masterUrl);
    conf.put("spark.authenticate", "true");
    conf.put("spark.r.command", PodContract.R_LAUNCHER);
    conf.put("spark.ui.port", Integer.toString(PodContract.APP_UI_PORT));
    Map<String, String> overridable = new LinkedHashMap<>();
    overridable.put("spark.network.crypto.enabled", "true");
    if (workers > 0) {
      overridable.put("spark.executor.memory", workerSizing.executorMemoryMib() + "m");
      overridable.put("spark.worker.cleanup.enabled", "true");
    }
    overridable.putAll(new TreeMap<>(userConf));
    conf.putAll(overridable);
    return conf;
  }

  /**
   * The file's text: one "key value" line per property, in a stable order. Spark reads the file as
   * Java properties, where a backslash escapes and a trailing one joins the next line (the secret
   * the image appends): backslashes in values are escaped so that Spark gets them as written.
   */
  public static String render(Map<String, String> conf) {
    StringBuilder text =
        new StringBuilder("# Written by rspark-operator; edit spec.sparkConf instead.\n");
    conf.forEach((k, v) -> text.append(k).append(' ').append(v.replace("\\", "\\\\")).append('\n'));
    return text.toString();
  }
}
