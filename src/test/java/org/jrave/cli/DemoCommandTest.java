package org.jrave.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jrave.audio.AudioClip;
import org.jrave.audio.WavFile;
import org.jrave.demo.ClipComparison;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's second command, shortened: {@code jrave demo} with a few fine-tuning steps writes
 * every promised file, and the bundled pre-trained model already reconstructs the tabla clip close
 * to its loudness and far closer to it than an untrained model does.
 */
class DemoCommandTest {

  @TempDir Path tmp;

  @Test
  void shortDemoWritesEveryOutputAndReconstructsTheClip() throws Exception {
    Path dir = tmp.resolve("demo");
    CliRunner run = CliRunner.runWithConsole("demo", "--output", dir.toString(), "--steps", "4", "--threads", "2");
    String text = run.out() + run.err();
    int exit = run.exitCode();
    assertThat(exit).as(text).isZero();
    for (String file : new String[] {"model.safetensors", "input.wav", "reconstruction.wav", "speech.ogg",
        "speech_through_model.wav", "latent_walk.wav", "reconstruction.png", "timbre_transfer.png",
        "latent_walk.png", "run/checkpoints/last.ckpt", "run/run.json"}) {
      assertThat(dir.resolve(file)).as(file).isNotEmptyFile();
    }
    assertThat(text).contains("reconstruction of tabla.wav: spectral distance")
        .contains("the same through an untrained model: spectral distance");

    AudioClip input = WavFile.read(dir.resolve("input.wav"));
    AudioClip output = WavFile.read(dir.resolve("reconstruction.wav"));
    assertThat(output.frameCount()).isEqualTo(input.frameCount());
    ClipComparison c = ClipComparison.of(input.channel(0), output.channel(0));
    assertThat(Math.abs(c.loudnessDifferenceDb())).as("loudness difference, dB").isLessThan(3);
    assertThat(c.spectralDistance()).as("spectral distance").isLessThan(8);

    AudioClip walk = WavFile.read(dir.resolve("latent_walk.wav"));
    assertThat(walk.frameCount()).isEqualTo(input.frameCount());
    assertThat(ClipComparison.of(output.channel(0), walk.channel(0)).spectralDistance())
        .as("the walk changes the sound").isGreaterThan(0.5);
    assertThat(Files.readString(dir.resolve("run/run.json"))).contains(dir.resolve("dataset").toString());
  }
}
