package io.rspark.bridge;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.spark.SparkConf;

/**
 * The bridge's SparkConf. A driver started with plain {@code java} does not read
 * spark-defaults.conf, and standalone Spark takes the authentication secret only as {@code
 * spark.authenticate.secret} (spark-facts.md), so both are read here from the mounted files.
 */
final class SparkConfFactory {
  static final String SECRET_KEY = "spark.authenticate.secret";

  /** Where Spark's Kubernetes backend reads the secret on the driver and on the executors. */
  static final java.util.List<String> KUBERNETES_SECRET_FILE_KEYS =
      java.util.List.of(
          "spark.authenticate.secret.driver.file", "spark.authenticate.secret.executor.file");

  private SparkConfFactory() {}

  static SparkConf create(BridgeConfig config) throws IOException {
    SparkConf conf = new SparkConf(false);
    if (config.sparkDefaultsFile().isPresent()) {
      Properties defaults = readDefaults(config.sparkDefaultsFile().get());
      for (String key : defaults.stringPropertyNames()) {
        conf.set(key, defaults.getProperty(key).trim());
      }
    }
    conf.setMaster(config.masterUrl());
    conf.setIfMissing("spark.app.name", config.appName());
    // Executors would first fetch every added file into a cache in the application's local
    // directory on the worker, which the worker deletes only when the application ends: for the
    // bridge's never-ending application that kept one more copy of every R session's spark_apply
    // bundle for the pod's lifetime. It saves a fetch only when two executors of the application
    // share a worker.
    conf.setIfMissing("spark.files.useFetchCache", "false");
    if (!config.localMode()) {
      // Executors start from the cluster's image, which holds this jar at the same path: on a
      // standalone worker, or in an executor pod of scheduler: kubernetes, whose entrypoint puts
      // spark.executor.extraClassPath (SPARK_CLASSPATH there) on its class path.
      append(conf, "spark.plugins", SessionFilesPlugin.class.getName(), ",");
      append(conf, "spark.executor.extraClassPath", ownJar(), File.pathSeparator);
    }
    if (!config.localMode() && config.driverHost().isPresent()) {
      conf.set("spark.driver.host", config.driverHost().get());
    }
    if (config.kubernetesMode()) {
      // Spark's Kubernetes backend reads the secret from the mounted file itself, on the driver
      // and on every executor (spark.authenticate.secret.driver.file / .executor.file in the
      // operator's spark-defaults): a value here would not reach the executors' way of reading it.
      conf.set("spark.authenticate", "true");
      readSecret(
          config
              .authSecretFile()
              .orElseThrow(
                  () -> new IOException("scheduler kubernetes needs RSPARK_AUTH_SECRET_FILE")));
      for (String key : KUBERNETES_SECRET_FILE_KEYS) {
        if (!conf.contains(key)) {
          throw new IOException(
              key + " is missing from spark-defaults.conf (scheduler kubernetes)");
        }
      }
    } else if (config.authSecretFile().isPresent()) {
      conf.set("spark.authenticate", "true");
      conf.set(SECRET_KEY, readSecret(config.authSecretFile().get()));
    }
    if (config.connectPort().isPresent()) {
      // Set after the ConfigMap's keys so that no spark-defaults entry can move the port or drop
      // the token check.
      conf.set(
          "spark.connect.grpc.binding.port", Integer.toString(config.connectPort().getAsInt()));
      conf.set("spark.connect.grpc.interceptor.classes", ConnectTokenInterceptor.class.getName());
      conf.set(
          ConnectTokenInterceptor.TOKEN_FILE_KEY,
          config
              .authSecretFile()
              .orElseThrow(
                  () -> new IOException("Spark Connect needs RSPARK_AUTH_SECRET_FILE (its token)"))
              .toString());
    }
    return conf;
  }

  private static void append(SparkConf conf, String key, String value, String separator) {
    conf.set(key, conf.contains(key) ? conf.get(key) + separator + value : value);
  }

  private static String ownJar() throws IOException {
    try {
      return Path.of(
              SessionFilesPlugin.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IOException("cannot tell where the bridge's jar is", e);
    }
  }

  static Properties readDefaults(Path file) throws IOException {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(in);
    }
    return props;
  }

  static String readSecret(Path file) throws IOException {
    String secret = Files.readString(file, StandardCharsets.UTF_8).trim();
    if (secret.isEmpty()) {
      throw new IOException("the Spark authentication secret file " + file + " is empty");
    }
    return secret;
  }
}
