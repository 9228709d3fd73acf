package io.rspark.operator.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.operator.image.Dockerfile.Instruction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After {@code package}: the files the Dockerfile copies exist, and the image's file layout, made
 * by carrying out its COPY lines into a directory, runs with its ENTRYPOINT (this JVM standing in
 * for the base image's {@code java}). OperatorProcessIT covers the running operator itself.
 */
class OperatorImageIT {
  private final Dockerfile dockerfile = Dockerfile.read();

  @Test
  void theCopiedJarFindsEveryLibraryItsManifestNames() throws IOException {
    Path jar = Dockerfile.CONTEXT.resolve("target/rspark-operator.jar");
    Path lib = Dockerfile.CONTEXT.resolve("target/lib");

    assertThat(jar).isRegularFile();
    assertThat(lib).isDirectory();
    try (JarFile file = new JarFile(jar.toFile())) {
      String classPath = file.getManifest().getMainAttributes().getValue("Class-Path");
      assertThat(classPath).isNotBlank();
      List<String> entries = Arrays.asList(classPath.trim().split("\\s+"));
      assertThat(entries).hasSizeGreaterThan(10).allMatch(e -> e.startsWith("lib/"));
      for (String entry : entries) {
        assertThat(jar.resolveSibling(entry)).as("Class-Path entry %s", entry).isRegularFile();
      }
    }
  }

  @Test
  void theImageLayoutRunsWithTheEntrypoint(@TempDir Path root) throws Exception {
    for (Instruction copy : dockerfile.all("COPY")) {
      String[] args = copy.arguments().split("\\s+");
      copyInto(Dockerfile.CONTEXT.resolve(args[0]), root.resolve(args[1].substring(1)));
    }
    List<String> command = new ArrayList<>(dockerfile.only("ENTRYPOINT").execForm());
    command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String jar = command.get(command.size() - 1);
    command.set(command.size() - 1, root.resolve(jar.substring(1)).toString());
    command.add("--help");

    Process process =
        new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output)
        .startsWith("Usage: java -jar rspark-operator.jar")
        .contains("rspark.watch-namespaces", "/healthz", "/metrics");
  }

  private static void copyInto(Path source, Path target) throws IOException {
    if (Files.isRegularFile(source)) {
      Files.createDirectories(target.getParent());
      Files.copy(source, target);
      return;
    }
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path to = target.resolve(source.relativize(file).toString());
        Files.createDirectories(to.getParent());
        Files.copy(file, to);
      }
    }
  }
}
