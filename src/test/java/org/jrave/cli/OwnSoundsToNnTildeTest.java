package org.jrave.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jrave.interop.TorchScriptModel;
import org.jrave.train.log.TfEventFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;

/**
 * The README's walkthrough "From your own sounds to Max/Pd", on a tiny scale: a folder of audio in
 * four formats, preprocess, train (both phases), the TensorBoard logs, export straight from the run
 * folder, and the export run block by block as nn~ runs it. Only the Max/Pd step itself is left out.
 */
class OwnSoundsToNnTildeTest {

  @TempDir Path tmp;

  /** A command's exit code and everything it printed. */
  private record Run(int exit, String text) {}

  private static Run jrave(String... args) {
    CliRunner r = CliRunner.runWithConsole(args);
    return new Run(r.exitCode(), r.out() + r.err());
  }

  @Test
  void preprocessTrainWatchExportAndStreamLikeNnTilde() throws Exception {
    // "My sounds": piano, percussion and music clips in four formats.
    Path sounds = Files.createDirectories(tmp.resolve("my_sounds"));
    Path corpus = Path.of("src/test/resources/corpus/test");
    for (String clip : List.of("01_piano.flac", "02_percussion.ogg", "04_music.mp3", "02_percussion.wav")) {
      Files.copy(corpus.resolve(clip), sounds.resolve(clip));
    }
    Path db = tmp.resolve("my_db");
    Run preprocess = jrave("preprocess", "--input", sounds.toString(), "--output", db.toString(), "--num-signal", "8192");
    assertThat(preprocess.exit()).as(preprocess.text()).isZero();

    Path runs = tmp.resolve("runs");
    Run train = jrave("train", "--db", db.toString(), "--output", runs.toString(), "--name", "mymodel",
        "--preset", "v2", "--override", "capacity=4", "--override", "latent_size=8", "--batch", "2",
        "--n-signal", "8192", "--phase1", "3", "--max-steps", "5", "--val-every", "5", "--save-every", "0",
        "--threads", "2", "--workers", "1");
    assertThat(train.exit()).as(train.text()).isZero();
    Path run = runs.resolve("mymodel");
    assertThat(train.text()).contains("Phase 2 (adversarial fine-tuning) starts at step 3");

    // What TensorBoard shows: the losses and the validation curve, from the run's event files.
    List<Event> events = TfEventFile.readAll(run.resolve("logs"));
    assertThat(events).anySatisfy(e -> assertThat(e.getSummary().getValueList())
        .anySatisfy(v -> assertThat(v.getTag()).isEqualTo("validation")));

    Path ts = tmp.resolve("mymodel.ts");
    Run export = jrave("export", "--model", run.toString(), "--streaming", "--output", ts.toString());
    assertThat(export.exit()).as(export.text()).isZero();

    // nn~ opens the file, reads its methods and sample rate, and calls forward on each audio block.
    try (TorchScriptModel nn = TorchScriptModel.open(ts)) {
      assertThat(nn.methods().keySet()).contains("encode", "decode", "forward");
      assertThat(nn.sampleRate()).isEqualTo(44100);
      int block = 2048;
      float[] audio = org.jrave.audio.WavFile.read(corpus.resolve("02_percussion.wav")).channel(0);
      double energy = 0;
      // Past the export's latency (about 13 blocks for v2 at this size) the blocks carry the model's sound.
      for (int b = 0; b < 24; b++) {
        float[][] y = nn.process("forward", new float[][] {java.util.Arrays.copyOfRange(audio, b * block, (b + 1) * block)});
        assertThat(y).hasDimensions(1, block);
        for (float v : y[0]) {
          assertThat(Float.isFinite(v)).isTrue();
          energy += v * v;
        }
      }
      assertThat(energy).as("the export makes sound").isPositive();
    }
  }
}
