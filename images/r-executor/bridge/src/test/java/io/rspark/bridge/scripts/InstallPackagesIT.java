package io.rspark.bridge.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.bridge.testing.ImageLayout;
import io.rspark.bridge.testing.Prerequisites;
import io.rspark.bridge.testing.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The install-packages role (the init container) with Debian's R, from a local repository made with
 * tools::write_PACKAGES holding a package built here with R CMD build.
 */
class InstallPackagesIT {
  @TempDir static Path dir;
  static String repoUrl;
  static ImageLayout image;

  @BeforeAll
  static void buildRepository() throws Exception {
    Prerequisites.rscript();
    Path src = Files.createDirectories(dir.resolve("src/rsparkhello/R"));
    Files.writeString(
        src.resolveSibling("DESCRIPTION"),
        """
        Package: rsparkhello
        Version: 0.1.0
        Title: A Package for Tests
        Description: Says hello, for the installer's tests.
        Authors@R: person("Test", "Author", email = "test@example.org", role = c("aut", "cre"))
        License: MIT
        Encoding: UTF-8
        """);
    Files.writeString(src.resolveSibling("NAMESPACE"), "export(hello)\n");
    Files.writeString(src.resolve("hello.R"), "hello <- function() \"hello from rsparkhello\"\n");
    Path contrib = Files.createDirectories(dir.resolve("repo/src/contrib"));
    Run build =
        Run.of(contrib, Map.of(), "R", "CMD", "build", "--no-manual", src.getParent().toString());
    assertThat(build.status()).as(build.output()).isZero();
    Run index =
        Run.of(contrib, Map.of(), "Rscript", "-e", "tools::write_PACKAGES('.', type = 'source')");
    assertThat(index.status()).as(index.output()).isZero();
    repoUrl = dir.resolve("repo").toUri().toString();
    image = ImageLayout.create(dir.resolve("image"));
  }

  private Run install(Path library, String packages) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("RSPARK_HOME", image.home().toString());
    env.put("RSPARK_R_LIBRARY", library.toString());
    env.put("RSPARK_R_PACKAGES", packages);
    env.put("RSPARK_R_REPOS", repoUrl);
    return Run.of(dir, env, "bash", image.entrypoint().toString(), "install-packages");
  }

  @Test
  void installsIntoTheLibraryThenReusesIt() throws Exception {
    Path library = dir.resolve("rlib-1");
    Run first = install(library, "rsparkhello");
    assertThat(first.status()).as(first.output()).isZero();
    assertThat(library.resolve("rsparkhello/DESCRIPTION")).exists();
    Run use =
        Run.of(
            dir,
            Map.of("R_LIBS", library.toString()),
            "Rscript",
            "-e",
            "cat(rsparkhello::hello())");
    assertThat(use.output()).contains("hello from rsparkhello");

    Run second = install(library, "rsparkhello");
    assertThat(second.status()).as(second.output()).isZero();
    assertThat(second.output()).contains("cache hit");
    assertThat(library.resolve("rsparkhello/DESCRIPTION")).exists();
  }

  @Test
  void aChangedListStartsAFreshLibrary() throws Exception {
    Path library = dir.resolve("rlib-2");
    assertThat(install(library, "rsparkhello").status()).isZero();
    Run none = install(library, "");
    assertThat(none.status()).as(none.output()).isZero();
    assertThat(none.output()).doesNotContain("cache hit");
    assertThat(library.resolve("rsparkhello")).doesNotExist();
  }

  @Test
  void aMissingPackageFailsWithRsMessage() throws Exception {
    Path library = dir.resolve("rlib-3");
    Run run = install(library, "rsparkhello, nosuchpackage");
    assertThat(run.status()).isNotZero();
    assertThat(run.output()).contains("nosuchpackage").contains("is not available");
    assertThat(library.resolve(".rspark-packages")).doesNotExist();
  }
}
