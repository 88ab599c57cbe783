package org.jrave.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jrave.data.TestDatabases;
import org.jrave.data.transform.Augmentation;
import org.jrave.data.transform.SignalOptions;
import org.jrave.engine.Safetensors;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.train.RunFolder;
import org.jrave.train.RunSettings;
import org.jrave.train.log.TfEventFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

class TrainCommandTest {

  @TempDir static Path tmp;
  static Path db;
  static Path stereoDb;

  @BeforeAll
  static void database() throws Exception {
    // 5 s of real audio (CC0 tabla loop) in examples of 2 x 8192 samples: 14 examples, 13 for training.
    db = TestDatabases.tabla(tmp.resolve("db"), 1);
    // The same audio as two channels (the mono file duplicated).
    stereoDb = TestDatabases.tabla(tmp.resolve("stereo"), 2);
  }

  private static CliRunner run(String... args) {
    return CliRunner.runWithConsole(args);
  }

  private static String[] train(String name, long steps, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("train", "--db", db.toString(), "--out", tmp.resolve("runs").toString(),
        "--name", name, "--preset", "v2", "--override", "capacity=4", "--override", "latent_size=8",
        "--batch", "2", "--n-signal", "8192", "--phase1", "4", "--val-every", "3", "--save-every", "0",
        "--max-steps", Long.toString(steps), "--threads", "2", "--workers", "1"));
    for (int i = 0; i < extra.length; i += 2) {
      int at = args.indexOf(extra[i]);
      if (at >= 0) {
        args.set(at + 1, extra[i + 1]);
      } else {
        args.addAll(List.of(extra[i], extra[i + 1]));
      }
    }
    return args.toArray(String[]::new);
  }

  /**
   * 8 steps: phase 2 from step 4 with discriminator updates at batches 0 and 4 of each 6-batch
   * epoch, so the interruption at step 3 is followed by the phase switch and an epoch boundary.
   */
  @Test
  void aResumedRunReachesTheSameWeightsAsAnUninterruptedOne() throws Exception {
    CliRunner whole = run(train("whole", 8));
    assertThat(whole.exitCode()).as(whole.err()).isZero();
    assertThat(whole.err()).contains("Phase 2 (adversarial fine-tuning) starts at step 4").contains("validation at step 3");
    CliRunner part = run(train("part", 3));
    assertThat(part.exitCode()).as(part.err()).isZero();
    Path partRun = tmp.resolve("runs/part");
    CliRunner resumed = run("train", "--resume", partRun.toString(), "--max-steps", "8", "--threads", "2");
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(resumed.err()).contains("Resuming").contains("at step 3");

    try (TensorScope scope = new TensorScope()) {
      Safetensors.Contents a = Safetensors.read(tmp.resolve("runs/whole/checkpoints/last.ckpt"));
      Safetensors.Contents b = Safetensors.read(partRun.resolve("checkpoints/last.ckpt"));
      assertThat(a.metadata().get("step")).isEqualTo("8");
      assertThat(b.metadata().get("step")).isEqualTo("8");
      assertThat(b.tensors().keySet()).isEqualTo(a.tensors().keySet());
      assertThat(a.tensors().keySet()).anyMatch(k -> k.startsWith("optimizer.discriminator.exp_avg."));
      for (Map.Entry<String, Tensor> e : a.tensors().entrySet()) {
        Tensor other = b.tensors().get(e.getKey());
        if (e.getValue().isFloat()) {
          float[] values = e.getValue().toFloatArray();
          for (float v : values) {
            assertThat(v).as(e.getKey()).isFinite();
          }
          assertThat(other.toFloatArray()).as(e.getKey()).isEqualTo(values);
        } else {
          assertThat(other.toLongArray()).as(e.getKey()).isEqualTo(e.getValue().toLongArray());
        }
      }
    }
    Path runDir = tmp.resolve("runs/whole");
    assertThat(runDir.resolve("model.safetensors")).exists();
    assertThat(runDir.resolve("validation/step_00000006.png")).exists();
    try (var logs = Files.list(runDir.resolve("logs"))) {
      assertThat(logs.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents."))).isNotEmpty();
    }
  }

  /**
   * Recomputing the residual units' activations in the backward pass changes nothing in what is
   * learnt: 5 steps through the phase switch and a discriminator update reach the same weights and
   * optimiser state, bit for bit.
   */
  @Test
  void checkpointedActivationsReachTheSameWeights() throws Exception {
    CliRunner plain = run(train("kept", 5));
    assertThat(plain.exitCode()).as(plain.err()).isZero();
    List<String> args = new java.util.ArrayList<>(List.of(train("recomputed", 5)));
    args.add("--checkpoint-activations");
    CliRunner recomputed = run(args.toArray(String[]::new));
    assertThat(recomputed.exitCode()).as(recomputed.err()).isZero();
    try (TensorScope scope = new TensorScope()) {
      Safetensors.Contents a = Safetensors.read(tmp.resolve("runs/kept/checkpoints/last.ckpt"));
      Safetensors.Contents b = Safetensors.read(tmp.resolve("runs/recomputed/checkpoints/last.ckpt"));
      assertThat(b.tensors().keySet()).isEqualTo(a.tensors().keySet());
      for (Map.Entry<String, Tensor> e : a.tensors().entrySet()) {
        if (e.getValue().isFloat()) {
          assertThat(b.tensors().get(e.getKey()).toFloatArray()).as(e.getKey()).isEqualTo(e.getValue().toFloatArray());
        }
      }
    }
  }

  /**
   * The fixture's validation split is one crop of 8192 samples: 4 latent frames for a latent of 8.
   * The PCA is still fitted (training batches top the frames up), and the saved model shows it.
   */
  @Test
  void oneShortValidationCropStillGivesAFittedLatentPca() throws Exception {
    CliRunner r = run(train("pca", 2));
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("13 train / 1 validation examples").contains("latent dims for 95% fidelity")
        .doesNotContain("PCA not fitted");
    Path model = tmp.resolve("runs/pca/model.safetensors");
    try (TensorScope scope = new TensorScope()) {
      Map<String, Tensor> saved = Safetensors.read(model).tensors();
      float[] fidelity = saved.get("fidelity").toFloatArray();
      assertThat(fidelity).hasSize(8);
      assertThat(fidelity[7]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
      for (int i = 1; i < 8; i++) {
        assertThat(fidelity[i]).as("fidelity is cumulative").isGreaterThanOrEqualTo(fidelity[i - 1]);
      }
      float[] pca = saved.get("latent_pca").toFloatArray();
      float offIdentity = 0;
      for (int i = 0; i < 64; i++) {
        offIdentity = Math.max(offIdentity, Math.abs(pca[i] - (i % 9 == 0 ? 1f : 0f)));
      }
      assertThat(offIdentity).as("latent_pca differs from the identity").isGreaterThan(0.01f);
    }
    CliRunner inspect = run("inspect", "--model", model.toString());
    assertThat(inspect.exitCode()).as(inspect.err()).isZero();
    assertThat(inspect.out()).contains("latent 8").doesNotContain("PCA");
  }

  /**
   * With a latent of 64 the PCA sees 52 frames (the validation crop and 6 training batches of 2
   * crops, 4 frames each; the last training crop is a partial batch, which training drops):
   * training, inspect and export each say in one line what is missing.
   */
  @Test
  void aPcaThatCannotBeFittedIsReportedWithTheAudioItNeeds() throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of(train("nopca", 1)));
    args.set(args.indexOf("latent_size=8"), "latent_size=64");
    CliRunner r = run(args.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.err()).isZero();
    String needs = "fitting it needs at least 64 latent frames of validation and training audio "
        + "(64 x 2048 / 44100 Hz = 2.97 s)";
    assertThat(r.err()).contains("validation at step 0: latent PCA not fitted, only 52 latent frames in the "
        + "validation and training data; " + needs);
    Path model = tmp.resolve("runs/nopca/model.safetensors");
    String warning = "warning: latent PCA not fitted (fidelity all zero, so an export keeps 1 of 64 latent "
        + "dimensions): " + needs;
    CliRunner inspect = run("inspect", "--model", model.toString());
    assertThat(inspect.out().lines().filter(l -> l.contains("PCA"))).containsExactly(warning);
    CliRunner export = run("export", "--model", model.toString(), "--out", tmp.resolve("nopca.ts").toString());
    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(export.err()).contains("latent 1 of 64 dimensions").contains(warning);
  }

  private static String dataLine(String console) {
    return console.lines().filter(l -> l.startsWith("Data: ")).findFirst().orElseThrow(() -> new AssertionError(console));
  }

  @Test
  void dataOptionsAreKeptInTheRunFolderAndTheResumedRunUsesThem() throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of(train("data", 1, "--db", stereoDb.toString())));
    args.addAll(List.of("--channels", "1", "--augment", "mute,compress", "--augment", "gain", "--rand-pitch", "0.8,1.25",
        "--normalize", "--derivative", "--override", "VariationalEncoder.beta=0.5"));
    CliRunner first = run(args.toArray(String[]::new));
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.err()).contains("has 2 channels and the model 1: they are mixed down to 1");
    String data = dataLine(first.err());
    assertThat(data).isEqualTo("Data: 1 channel(s), 44100 Hz, crops of 8192, random pitch 0.8..1.25, augmentations "
        + "phase-mangle dequantize mute compress gain, peak-normalised, first difference (derivative)");

    Path dir = tmp.resolve("runs/data");
    RunSettings saved = new RunFolder(dir).readSettings();
    assertThat(saved.channels()).isEqualTo(1);
    assertThat(saved.augmentations()).containsExactly(Augmentation.MUTE, Augmentation.COMPRESS, Augmentation.GAIN);
    assertThat(saved.signal()).isEqualTo(new SignalOptions(0.8, 1.25, true, true));
    assertThat(saved.loader().augmentations()).containsExactly(Augmentation.PHASE_MANGLE, Augmentation.DEQUANTIZE,
        Augmentation.MUTE, Augmentation.COMPRESS, Augmentation.GAIN);
    assertThat(new RunFolder(dir).readConfig().channels()).isEqualTo(1);
    assertThat(saved.overrides()).contains("VariationalEncoder.beta=0.5");
    assertThat(new RunFolder(dir).readConfig().latent()).isEqualTo(new org.jrave.model.config.LatentConfig.Variational(0.5));

    CliRunner changed = run("train", "--resume", dir.toString(), "--normalize", "--augment", "mute");
    assertThat(changed.exitCode()).isEqualTo(2);
    assertThat(changed.err()).contains("--normalize, --augment cannot be given with --resume").contains("run.json")
        .doesNotContain("Exception");

    CliRunner resumed = run("train", "--resume", dir.toString(), "--max-steps", "2", "--threads", "2");
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(resumed.err()).contains("at step 1");
    assertThat(dataLine(resumed.err())).isEqualTo(data);

    // The run's TensorBoard file through TensorFlow's own Event class: settings text, scalars, audio.
    List<Event> events = TfEventFile.readAll(dir.resolve("logs"));
    Summary.Value settingsText = tagged(events, "run").get(0).getSummary().getValue(0);
    assertThat(settingsText.getMetadata().getPluginData().getPluginName()).isEqualTo("text");
    assertThat(settingsText.getTensor().getStringVal(0).toStringUtf8()).contains("\"derivative\" : true")
        .contains("\"augmentations\" : [ \"MUTE\", \"COMPRESS\", \"GAIN\" ]");
    assertThat(tagged(events, "config").get(0).getSummary().getValue(0).getTensor().getStringVal(0).toStringUtf8())
        .contains("channels");
    assertThat(tagged(events, "validation")).extracting(Event::getStep).containsExactly(0L, 1L, 2L);
    assertThat(tagged(events, "validation")).allSatisfy(e -> assertThat(e.getSummary().getValue(0).getSimpleValue()).isFinite());
    Summary.Audio audio = tagged(events, "audio_val").get(0).getSummary().getValue(0).getAudio();
    assertThat(audio.getSampleRate()).isEqualTo(44100f);
    assertThat(audio.getNumChannels()).isEqualTo(1);
    // Validation holds 1 item of 2 x 8192 samples: [input | reconstruction] = 16384 frames.
    assertThat(audio.getLengthFrames()).isEqualTo(16384);
    try (var wav = javax.sound.sampled.AudioSystem.getAudioInputStream(
        new java.io.ByteArrayInputStream(audio.getEncodedAudioString().toByteArray()))) {
      assertThat(wav.getFrameLength()).isEqualTo(16384);
      assertThat(wav.getFormat().getSampleRate()).isEqualTo(44100f);
    }
  }

  /**
   * {@code --precision bf16} is kept in run.json and the resumed run trains in it (it cannot be
   * changed on resume); every run reports how long its steps waited for their batches.
   */
  @Test
  void bf16PrecisionIsKeptForResumeAndTheDataWaitIsReported() throws Exception {
    CliRunner first = run(train("bf16", 2, "--precision", "bf16", "--phase1", "1", "--log-every", "1"));
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.err()).contains("Precision: bf16 mixed precision");
    assertDataWait(first.err());
    Path dir = tmp.resolve("runs/bf16");
    assertThat(new RunFolder(dir).readSettings().precision()).isEqualTo(org.jrave.engine.Precision.BF16);
    assertThat(Files.readString(dir.resolve("run.json"))).contains("\"precision\" : \"BF16\"");
    List<Event> events = TfEventFile.readAll(dir.resolve("logs"));
    assertThat(tagged(events, "data_wait_ms")).extracting(Event::getStep).containsExactly(0L, 1L);
    assertThat(tagged(events, "data_wait_ms")).allSatisfy(e -> assertThat(e.getSummary().getValue(0).getSimpleValue())
        .isFinite().isGreaterThanOrEqualTo(0f));
    assertThat(tagged(events, org.jrave.train.LossWeights.FEATURE_MATCHING)).isNotEmpty();

    CliRunner changed = run("train", "--resume", dir.toString(), "--precision", "fp32");
    assertThat(changed.exitCode()).isEqualTo(2);
    assertThat(changed.err()).contains("--precision cannot be given with --resume").doesNotContain("Exception");

    CliRunner resumed = run("train", "--resume", dir.toString(), "--max-steps", "3", "--threads", "2");
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(resumed.err()).contains("at step 2").contains("Precision: bf16 mixed precision");
    assertDataWait(resumed.err());

    CliRunner fp32 = run(train("fp32", 1));
    assertThat(fp32.exitCode()).as(fp32.err()).isZero();
    assertThat(fp32.err()).doesNotContain("Precision:");
    assertThat(new RunFolder(tmp.resolve("runs/fp32")).readSettings().precision())
        .isEqualTo(org.jrave.engine.Precision.FP32);

    CliRunner bad = run(train("bad-precision", 1, "--precision", "fp8"));
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err().lines().filter(l -> !l.startsWith("WARNING")).toList())
        .containsExactly("jrave train: --precision: unknown precision 'fp8' (use fp32 or bf16)");
    assertThat(tmp.resolve("runs/bad-precision")).doesNotExist();
  }

  /** The summary line of the loader's waits: finite, non-negative milliseconds. */
  private static void assertDataWait(String console) {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("Loader: data wait per step: mean ([0-9.]+) ms, max ([0-9.]+) ms over (\\d+) steps").matcher(console);
    assertThat(m.find()).as(console).isTrue();
    double mean = Double.parseDouble(m.group(1));
    double max = Double.parseDouble(m.group(2));
    assertThat(mean).isFinite().isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(max);
    assertThat(max).isFinite();
    assertThat(console).containsPattern("data wait [0-9]+\\.[0-9] ms");
  }

  private static List<Event> tagged(List<Event> events, String tag) {
    return events.stream().filter(Event::hasSummary)
        .filter(e -> e.getSummary().getValueList().stream().anyMatch(v -> v.getTag().equals(tag))).toList();
  }

  @Test
  void badDataOptionsAreReportedBeforeAnyWork() throws Exception {
    String[][] cases = {
        {"--channels", "2"}, {"--channels", "0"}, {"--rand-pitch", "1.5"}, {"--rand-pitch", "low,high"},
        {"--rand-pitch", "2,1"}, {"--rand-pitch", "1,1"}, {"--rand-pitch", "2.5,3"}, {"--augment", "reverb"},
        {"--augment", "dequantize"}, {"--override", "channels=1"}};
    String[] expected = {
        "has 1 channel(s) but the model needs 2: preprocess again with --channels 2, or train with --channels 1",
        "--channels 0: give a whole number of 1 or more",
        "--rand-pitch 1.5 is not LO,HI", "--rand-pitch low,high is not LO,HI: both must be numbers",
        "--rand-pitch 2,1: the factors must satisfy 0 < LO <= HI",
        "--rand-pitch 1,1: no ratio a/b with 1 <= a, b < 20, a != b lies in [1.0, 1.0]",
        "holds items of 16384 samples, too short to shift a crop of 8192 by 2.5",
        "--augment reverb is not an augmentation: use compress, gain or mute",
        "phase mangling and dequantisation are always on",
        "the channel count is given twice"};
    for (int i = 0; i < cases.length; i++) {
      String[] extra = cases[i];
      if (extra[0].equals("--override")) {
        extra = new String[] {"--channels", "1", "--override", "channels=1"};
      }
      List<String> args = new java.util.ArrayList<>(List.of("train", "--db", db.toString(), "--out",
          tmp.resolve("bad").toString(), "--name", "x" + i, "--override", "capacity=4", "--n-signal", "8192", "--batch", "2"));
      args.addAll(List.of(extra));
      CliRunner r = run(args.toArray(String[]::new));
      assertThat(r.exitCode()).as(String.join(" ", extra)).isEqualTo(2);
      assertThat(r.err()).as(String.join(" ", extra)).contains(expected[i]).doesNotContain("Exception").doesNotContain("\tat ");
      assertThat(tmp.resolve("bad/x" + i)).doesNotExist();
    }
  }

  @Test
  void userMistakesAreReportedBeforeAnyWork() throws Exception {
    CliRunner unknownPreset = run("train", "--db", db.toString(), "--out", tmp.resolve("e").toString(), "--name", "x",
        "--preset", "v9");
    assertThat(unknownPreset.exitCode()).isEqualTo(2);
    assertThat(unknownPreset.err()).contains("unknown preset 'v9'").contains("v2_small");

    CliRunner unknownKey = run("train", "--db", db.toString(), "--out", tmp.resolve("e").toString(), "--name", "x",
        "--override", "capasity=4");
    assertThat(unknownKey.exitCode()).isEqualTo(2);
    assertThat(unknownKey.err()).contains("unknown override key 'capasity'").contains("capacity");

    CliRunner tooSmall = run("train", "--db", db.toString(), "--out", tmp.resolve("e").toString(), "--name", "x",
        "--override", "capacity=4", "--n-signal", "8192", "--batch", "64");
    assertThat(tooSmall.exitCode()).isEqualTo(2);
    assertThat(tooSmall.err()).contains("too few for one batch of 64").contains("add audio (about");

    CliRunner wrongRate = run("train", "--db", db.toString(), "--out", tmp.resolve("e").toString(), "--name", "x",
        "--override", "sampling_rate=48000", "--n-signal", "8192", "--batch", "2");
    assertThat(wrongRate.exitCode()).isEqualTo(2);
    assertThat(wrongRate.err()).contains("44100 Hz").contains("48000 Hz").contains("--sr 48000");

    Path empty = Files.createDirectories(tmp.resolve("empty"));
    CliRunner emptyDb = run("train", "--db", empty.toString(), "--out", tmp.resolve("e").toString(), "--name", "x",
        "--n-signal", "8192", "--batch", "2");
    assertThat(emptyDb.exitCode()).isEqualTo(2);
    assertThat(Files.exists(tmp.resolve("e/x/run.json"))).isFalse();
  }
}
