package org.jrave.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jrave.audio.AudioClip;
import org.jrave.audio.WavFile;
import org.jrave.engine.Tensor;
import org.jrave.golden.Golden;
import org.jrave.io.NpyArray;
import org.jrave.io.NpyFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The encode/decode/forward commands reproduce the golden tensors through files, with the model
 * given as a reference-style folder (config.gin + weights.safetensors).
 */
class CodecCommandsGoldenTest {

  @ParameterizedTest
  @ValueSource(strings = {"v2n-c8", "v2n-c8-causal"})
  void commandsReproduceGoldenThroughFiles(String variant, @TempDir Path dir) throws Exception {
    Path root = Golden.requireRoot();
    Path run = Files.createDirectories(dir.resolve("run"));
    Files.copy(root.resolve(variant).resolve("config.gin"), run.resolve("config.gin"));
    Files.copy(root.resolve("weights.safetensors"), run.resolve("weights.safetensors"));
    Map<String, Tensor> g = Golden.load(variant + "/offline.safetensors");

    Path x = dir.resolve("x.wav");
    WavFile.write(x, new AudioClip(44100, new float[][] {g.get("x").toFloatArray()}));

    Path raw = dir.resolve("raw.npy");
    CliRunner enc = CliRunner.run("encode", "--model", run.toString(), "--input", x.toString(),
        "--output", raw.toString(), "--raw", "--threads", "2");
    assertThat(enc.exitCode()).as(enc.err()).isZero();
    NpyArray rawArray = NpyFile.read(raw);
    assertThat(rawArray.shape()).containsExactly(256, 32);
    Golden.assertClose("enc_raw via CLI", Tensor.fromFloats(rawArray.data(), 1, 256, 32), g.get("enc_raw"), 5e-5, 1e-4);

    Path mean = dir.resolve("mean.npy");
    CliRunner encMean = CliRunner.run("encode", "--model", run.toString(), "--input", x.toString(),
        "--output", mean.toString(), "--deterministic");
    assertThat(encMean.exitCode()).as(encMean.err()).isZero();
    Golden.assertClose("z_mean via CLI", Tensor.fromFloats(NpyFile.read(mean).data(), 1, 128, 32), g.get("z_mean"), 5e-5, 1e-4);

    Path z = dir.resolve("z.npy");
    NpyFile.write(z, new NpyArray(new long[] {128, 32}, g.get("z_mean").toFloatArray()));
    Path y = dir.resolve("y.wav");
    CliRunner dec = CliRunner.run("decode", "--model", run.toString(), "--input", z.toString(),
        "--output", y.toString(), "--deterministic");
    assertThat(dec.exitCode()).as(dec.err()).isZero();
    AudioClip decoded = WavFile.read(y);
    assertThat(decoded.sampleRate()).isEqualTo(44100);
    Golden.assertClose("dec_out_nonoise via CLI", Tensor.fromFloats(decoded.channel(0), 1, 1, 65536),
        g.get("dec_out_nonoise"), 5e-5, 1e-4);

    Path f = dir.resolve("f.wav");
    CliRunner fwd = CliRunner.run("forward", "--model", run.toString(), "--input", x.toString(),
        "--output", f.toString(), "--deterministic");
    assertThat(fwd.exitCode()).as(fwd.err()).isZero();
    // forward = decode(mean(encode(x))): the golden decoder output of the golden mean.
    Golden.assertClose("forward via CLI", Tensor.fromFloats(WavFile.read(f).channel(0), 1, 1, 65536),
        g.get("dec_out_nonoise"), 5e-4, 1e-3);

    // bf16 offline: within a few percent (RMS) of the float32 reference (see OfflinePrecisionTest).
    Path fb = dir.resolve("fb.wav");
    CliRunner bf16 = CliRunner.run("forward", "--model", run.toString(), "--input", x.toString(),
        "--output", fb.toString(), "--deterministic", "--precision", "bf16");
    assertThat(bf16.exitCode()).as(bf16.err()).isZero();
    float[] expected = g.get("dec_out_nonoise").toFloatArray();
    float[] actual = WavFile.read(fb).channel(0);
    double error = 0;
    double energy = 0;
    for (int i = 0; i < expected.length; i++) {
      error += (actual[i] - expected[i]) * (double) (actual[i] - expected[i]);
      energy += (double) expected[i] * expected[i];
    }
    assertThat(Math.sqrt(error / energy)).as("bf16 forward RMS error relative to the golden RMS").isLessThan(0.04);

    // Streaming through the block engine, latency removed: float32 as exact as offline, except in
    // the last receptive field, where offline layers pad with zeros and a stream sees what its
    // layers made of the silence that flushes it.
    int head = 65536 - 32768;
    Path f32 = dir.resolve("f32.wav");
    CliRunner exact = CliRunner.run("forward", "--model", run.toString(), "--input", x.toString(),
        "--output", f32.toString(), "--deterministic", "--stream", "2048");
    assertThat(exact.exitCode()).as(exact.err()).isZero();
    Golden.assertClose("streamed forward via CLI", Tensor.fromFloats(WavFile.read(f32).channel(0), 1, 1, 65536)
        .narrow(2, 0, head), g.get("dec_out_nonoise").narrow(2, 0, head), 5e-4, 1e-3);

    // bf16 streaming (the block engine's deep weights in bfloat16), latency removed: as close.
    Path fs = dir.resolve("fs.wav");
    CliRunner streamed = CliRunner.run("forward", "--model", run.toString(), "--input", x.toString(),
        "--output", fs.toString(), "--deterministic", "--precision", "bf16", "--stream", "2048");
    assertThat(streamed.exitCode()).as(streamed.err()).isZero();
    assertThat(rmsError(java.util.Arrays.copyOf(WavFile.read(fs).channel(0), head), java.util.Arrays.copyOf(expected, head)))
        .as("bf16 streamed forward RMS error relative to the golden RMS")
        .isLessThan(0.04).isGreaterThan(0);
  }

  private static double rmsError(float[] actual, float[] expected) {
    double error = 0;
    double energy = 0;
    for (int i = 0; i < expected.length; i++) {
      error += (actual[i] - expected[i]) * (double) (actual[i] - expected[i]);
      energy += (double) expected[i] * expected[i];
    }
    return Math.sqrt(error / energy);
  }
}
