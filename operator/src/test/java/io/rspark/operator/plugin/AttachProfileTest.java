package io.rspark.operator.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The R profile {@code kubectl rspark attach} starts R with, in a real interactive R under a
 * terminal (tmux), where R attaches its default packages after the profile. SparkR is the stand-in
 * package of {@code stand-in-sparkr} (the real one is in no registry here): S4 methods for head()
 * and filter() as SparkR has them, and a session that fails where SparkR would download Spark
 * because SPARK_HOME does not exist.
 */
class AttachProfileTest {
  @TempDir static Path dir;
  static Path library;

  @BeforeAll
  static void installStandIn() throws Exception {
    KubectlRspark.requireTool("tmux");
    KubectlRspark.requireTool("R");
    library = Files.createDirectories(dir.resolve("rlib"));
    for (String standIn : List.of("stand-in-sparkr", "stand-in-sparklyr")) {
      Process install =
          new ProcessBuilder(
                  "R",
                  "CMD",
                  "INSTALL",
                  "-l",
                  library.toString(),
                  KubectlRspark.FAKES.resolve(standIn).toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(install.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(install.exitValue()).as(out).isZero();
    }
  }

  private static String bash(String code) throws Exception {
    Process p =
        new ProcessBuilder(
                "bash", "-c", "source \"$1\"; " + code, "bash", KubectlRspark.SCRIPT.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /**
   * Starts an interactive R with {@code profile} under tmux (a laptop: no SPARK_HOME), types {@code
   * lines} at its prompt and returns the screen once R has printed a marker after them.
   */
  private static String interactiveR(Path profile, List<String> lines) throws Exception {
    return interactiveR(Files.createDirectories(dir.resolve("home")), profile, lines);
  }

  /** As {@link #interactiveR(Path, List)}, for a user whose home directory is {@code home}. */
  private static String interactiveR(Path home, Path profile, List<String> lines) throws Exception {
    Path socket = dir.resolve("tmux-" + System.nanoTime());
    String r =
        String.join(
            " ",
            "env -u SPARK_HOME",
            "HOME=" + home,
            "R_PROFILE_USER=" + profile,
            "R_LIBS=" + library,
            "R --no-save --no-restore --quiet");
    tmux(socket, "new-session", "-d", "-x", "150", "-y", "50", r);
    try {
      List<String> typed = new ArrayList<>(lines);
      typed.add("cat('END', 'OF', 'TEST\\n')");
      for (String line : typed) {
        tmux(socket, "send-keys", "-l", line);
        tmux(socket, "send-keys", "Enter");
      }
      long deadline = System.nanoTime() + 60_000_000_000L;
      String screen = "";
      while (System.nanoTime() < deadline) {
        screen = tmux(socket, "capture-pane", "-p", "-S", "-200");
        if (screen.contains("END OF TEST")) {
          return screen;
        }
        Thread.sleep(200);
      }
      throw new AssertionError("R did not get through the lines; the screen:\n" + screen);
    } finally {
      tmux(socket, "kill-server");
    }
  }

  private static String tmux(Path socket, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("tmux %s: %s", String.join(" ", args), out).isZero();
    return out;
  }

  @Test
  void sparkRsGenericsWinInInteractiveRAndNoSparkIsDownloaded() throws Exception {
    Path profile = dir.resolve("attach-profile.R");
    Files.writeString(profile, bash("sparkr_profile 18890 0123abcd"));

    String screen =
        interactiveR(
            profile,
            List.of(
                "df <- createDataFrame(data.frame(id = 0:9))",
                "head(df, 3)",
                "filter(df, df$id > 5)@ids",
                "search()[2]"));

    assertThat(screen)
        .contains("stand-in SparkR session on backend port 18890")
        .doesNotContain("Error")
        .contains("[1] 6 7 8 9")
        .contains("[1] \"package:SparkR\"");
    assertThat(screen.replaceAll("\\s+", " ")).contains("id 1 0 2 1 3 2");
  }

  @Test
  void theSparklyrProfileConnectsScAsTheImagesProfileWould() throws Exception {
    Path profile = dir.resolve("attach-sparklyr-profile.R");
    Files.writeString(profile, bash("sparklyr_profile"));

    String screen =
        interactiveR(
            profile,
            List.of(
                "cat(sc$master, sc$method, sc$hive, sc$apply_packages, sep = '|')", "search()[2]"));

    assertThat(screen)
        .contains("stand-in sparklyr connected to sparklyr://127.0.0.1:8880/1")
        .doesNotContain("Error")
        .contains("sparklyr://127.0.0.1:8880/1|gateway|FALSE|FALSE")
        .contains("[1] \"package:sparklyr\"");
  }

  @Test
  void theUsersOwnFirstStillRunsBeforeTheConnectionOpens() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home-with-first"));
    Files.writeString(
        home.resolve(".Rprofile"),
        ".First <- function() { cat('users own First ran\\n'); firstRan <<- TRUE }\n");
    Path profile = dir.resolve("attach-profile-with-first.R");
    Files.writeString(profile, bash("sparkr_profile 18890 0123abcd"));
    Path sparklyrProfile = dir.resolve("attach-sparklyr-profile-with-first.R");
    Files.writeString(sparklyrProfile, bash("sparklyr_profile"));

    assertThat(interactiveR(home, profile, List.of("cat(firstRan, exists('spark'), sep = '|')")))
        .contains("users own First ran")
        .contains("stand-in SparkR session on backend port 18890")
        .contains("TRUE|TRUE")
        .doesNotContain("Error");
    assertThat(interactiveR(home, sparklyrProfile, List.of("cat(firstRan, sc$method, sep = '|')")))
        .contains("users own First ran")
        .contains("TRUE|gateway")
        .doesNotContain("Error");
  }

  @Test
  void anErrorInTheUsersFirstIsShownAndTheConnectionStillOpens() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home-with-failing-first"));
    Files.writeString(home.resolve(".Rprofile"), ".First <- function() stop('broken')\n");
    Path profile = dir.resolve("attach-sparklyr-profile-failing-first.R");
    Files.writeString(profile, bash("sparklyr_profile"));

    assertThat(interactiveR(home, profile, List.of("cat(sc$method, '\\n')")))
        .contains("Error in your .First: broken")
        .contains("gateway");
  }
}
