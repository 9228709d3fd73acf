package io.rspark.bridge.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The image's /opt/rspark made from the repository for a test: bin/ is the repository's scripts,
 * lib/rspark-bridge.jar the module's jar, run/conf a fresh SPARK_CONF_DIR.
 */
public record ImageLayout(Path home) {
  public static ImageLayout create(Path dir) throws IOException {
    Path home = dir.resolve("rspark");
    Files.createDirectories(home.resolve("lib"));
    Files.createDirectories(home.resolve("run/conf"));
    Files.createDirectories(home.resolve("work"));
    Files.createSymbolicLink(home.resolve("bin"), Prerequisites.imageDir().resolve("bin"));
    Files.copy(
        Prerequisites.bridgeJar(),
        home.resolve("lib/rspark-bridge.jar"),
        StandardCopyOption.REPLACE_EXISTING);
    return new ImageLayout(home);
  }

  public Path entrypoint() {
    return home.resolve("bin/rspark-entrypoint");
  }

  public Path launcher() {
    return home.resolve("bin/rspark-r");
  }

  public Path confDir() {
    return home.resolve("run/conf");
  }

  public Path sparkRSecretFile() {
    return confDir().resolve("sparkr-backend-secret");
  }
}
