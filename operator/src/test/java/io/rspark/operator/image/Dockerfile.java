package io.rspark.operator.image;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rspark.operator.testing.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code operator/Dockerfile} read into its instructions, for tests (no Docker engine here). */
record Dockerfile(List<Instruction> instructions) {
  static final Path CONTEXT = RepoPaths.root().resolve("operator");

  /** One instruction: its keyword in upper case and its arguments as written. */
  record Instruction(String keyword, String arguments) {
    /** The exec (JSON array) form of ENTRYPOINT, CMD or RUN. */
    List<String> execForm() {
      try {
        return new ObjectMapper().readValue(arguments, new TypeReference<List<String>>() {});
      } catch (IOException e) {
        throw new IllegalStateException(keyword + " is not in exec form: " + arguments, e);
      }
    }
  }

  static Dockerfile read() {
    try {
      return parse(Files.readString(CONTEXT.resolve("Dockerfile"), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Dockerfile parse(String text) {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.isEmpty())) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      pending.append(trimmed);
      String whole = pending.toString().strip();
      pending.setLength(0);
      if (whole.isEmpty()) {
        continue;
      }
      String[] parts = whole.split("\\s+", 2);
      instructions.add(
          new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : ""));
    }
    return new Dockerfile(instructions);
  }

  List<Instruction> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  Instruction only(String keyword) {
    List<Instruction> found = all(keyword);
    if (found.size() != 1) {
      throw new IllegalStateException("Expected one " + keyword + ", found " + found.size());
    }
    return found.get(0);
  }
}
