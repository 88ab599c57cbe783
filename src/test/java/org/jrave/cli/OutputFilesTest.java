package org.jrave.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.jrave.audio.AudioClip;
import org.jrave.audio.WavFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What commands write: the process's default permissions, and failures named for the file asked for. */
class OutputFilesTest {
  @TempDir static Path dir;
  static Path model;
  static Path wav;

  @BeforeAll
  static void smallModel() throws Exception {
    model = TestModels.saveSmall(dir.resolve("small.jrave"), "v2");
    wav = dir.resolve("a.wav");
    WavFile.write(wav, new AudioClip(44100, new float[][] {new float[4096]}));
  }

  private static Set<PosixFilePermission> defaultPermissions(Path folder) throws Exception {
    Path probe = Files.createFile(folder.resolve("probe-" + System.nanoTime()));
    try {
      return Files.getPosixFilePermissions(probe);
    } finally {
      Files.delete(probe);
    }
  }

  @Test
  void outputsHaveTheProcessDefaultPermissions() throws Exception {
    Set<PosixFilePermission> expected = defaultPermissions(dir);
    assertThat(Files.getPosixFilePermissions(model)).as("model file").isEqualTo(expected);
    assertThat(Files.getPosixFilePermissions(wav)).as("wav").isEqualTo(expected);
    Path z = dir.resolve("z.npy");
    CliRunner r = CliRunner.run("encode", "--model", model.toString(), "-i", wav.toString(), "-o", z.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(Files.getPosixFilePermissions(z)).as("latent").isEqualTo(expected);
  }

  @Test
  void writingIntoAMissingFolderNamesTheFileAndTheFolder() {
    Path missing = dir.resolve("no-such-folder");
    CliRunner r = CliRunner.run("encode", "--model", model.toString(), "-i", wav.toString(),
        "-o", missing.resolve("z.npy").toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip()).doesNotContain("\n").doesNotContain(".tmp")
        .contains("cannot write " + missing.resolve("z.npy").toAbsolutePath())
        .contains("the folder " + missing.toAbsolutePath() + " does not exist");
  }

  @Test
  void writingIntoAReadOnlyFolderSaysPermissionDenied() throws Exception {
    Path locked = Files.createDirectories(dir.resolve("locked"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      // As root, permissions do not stop writes: the refusal can only be checked where they are enforced.
      boolean enforced;
      try {
        Files.delete(Files.createFile(locked.resolve("probe")));
        enforced = false;
      } catch (java.nio.file.AccessDeniedException e) {
        enforced = true;
      }
      Path z = locked.resolve("z.npy");
      CliRunner r = CliRunner.run("encode", "--model", model.toString(), "-i", wav.toString(), "-o", z.toString());
      if (enforced) {
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").doesNotContain(".tmp")
            .contains("cannot write " + z.toAbsolutePath() + ": permission denied");
      } else {
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(z).exists();
      }
      try (var left = Files.list(locked)) {
        assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
      }
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void exportAcceptsOnlyTorchScriptAndOnnxExtensions() {
    for (String name : new String[] {"x.txt", "x.pt", "x"}) {
      Path out = dir.resolve(name);
      CliRunner r = CliRunner.run("export", "--model", model.toString(), "--output", out.toString());
      assertThat(r.exitCode()).as(name).isEqualTo(2);
      assertThat(r.err().strip()).as(name).doesNotContain("\n").contains("--output " + out).contains(".ts")
          .contains(".onnx");
      assertThat(out).doesNotExist();
    }
  }
}
