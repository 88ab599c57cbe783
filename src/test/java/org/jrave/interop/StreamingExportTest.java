package org.jrave.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.jrave.engine.Engine;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.Presets;
import org.jrave.streaming.RealtimeProcessor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A streaming export, run block by block through libtorch, gives what jrave's own real-time
 * processor gives for the same blocks and the same random draws.
 */
class StreamingExportTest {
  @TempDir Path dir;

  static final int Z = 16;
  static final int BLOCKS = 4;
  /** Latent frames per block: 4 blocks outlast the centred v2 model's latency (about 13 frames). */
  static final int FRAMES = 8;

  /** Full-size exported latent (fidelity only reached by the last component), signed-permutation PCA. */
  static RaveModel model(String spec) {
    String[] parts = spec.split(" ");
    int channels = parts.length > 1 ? Integer.parseInt(parts[1].replace("ch", "")) : 1;
    RaveModel m = RaveFactory.build(Presets.builder(List.of(parts[0].split("\\+"))).capacity(4).latentSize(Z)
        .channels(channels).build());
    float[] pca = new float[Z * Z];
    float[] mean = new float[Z];
    float[] fidelity = new float[Z];
    for (int i = 0; i < Z; i++) {
      pca[i * Z + (i * 5 + 3) % Z] = i % 3 == 0 ? -1f : 1f;
      mean[i] = 0.05f * (i - 7);
      fidelity[i] = i == Z - 1 ? 0.99f : 0.5f;
    }
    m.namedBuffers().get("latent_pca").assign(Tensor.fromFloats(pca, Z, Z));
    m.namedBuffers().get("latent_mean").assign(Tensor.fromFloats(mean, Z));
    m.namedBuffers().get("fidelity").assign(Tensor.fromFloats(fidelity, Z));
    m.decoder().setWarmedUp(true); // v1: the noise branch only sounds in phase 2
    return m;
  }

  static float[][] block(long seed, int rows, int length) {
    java.util.Random r = new java.util.Random(seed);
    float[][] x = new float[rows][length];
    for (float[] row : x) {
      for (int i = 0; i < length; i++) {
        row[i] = (float) (0.3 * r.nextGaussian());
      }
    }
    return x;
  }

  @ParameterizedTest
  @ValueSource(strings = {"v2+noise", "v2+causal", "v2+causal+snake 2ch", "v3", "v1"})
  void blocksMatchTheNativeRealtimeProcessor(String presets) throws Exception {
    Path file = dir.resolve("s.ts");
    try (TensorScope s = new TensorScope(); NoGrad ng = NoGrad.enter(); RaveModel model = model(presets)) {
      NnTildeExporter.Summary summary = NnTildeExporter.export(model, file, new NnTildeExporter.Options(0.95, true));
      assertThat(summary.latentSize()).isEqualTo(Z);
      int ratio = model.ratio();
      int block = FRAMES * ratio;
      try (TorchScriptModel ts = TorchScriptModel.open(file);
          RealtimeProcessor forward = RealtimeProcessor.forward(model, block);
          RealtimeProcessor encoder = RealtimeProcessor.encoder(model, block);
          RealtimeProcessor decoder = RealtimeProcessor.decoder(model, FRAMES)) {
        TorchScriptProcessors tsp = new TorchScriptProcessors(ts);
        assertThat(tsp.forward(block).latency()).isEqualTo(forward.latency()).isPositive();
        assertThat(tsp.encoder(block).latency()).isEqualTo(encoder.latency());
        assertThat(tsp.decoder(FRAMES).latency()).isEqualTo(decoder.latency());
        double worst = 0;
        double peak = 0;
        for (int b = 0; b < BLOCKS; b++) {
          int channels = model.config().channels();
          float[][] x = block(b, channels, block);
          Engine.manualSeed(100 + b);
          float[][] yTs = ts.process("forward", x);
          Engine.manualSeed(100 + b);
          float[][] yNative = new float[channels][block];
          forward.process(x, yNative);
          worst = Math.max(worst, maxDiff(yTs, yNative));
          peak = Math.max(peak, maxAbs(yNative));

          Engine.manualSeed(200 + b);
          float[][] zTs = ts.process("encode", x);
          Engine.manualSeed(200 + b);
          float[][] zNative = new float[Z][FRAMES];
          encoder.encode(x, zNative);
          worst = Math.max(worst, maxDiff(zTs, project(model, zNative)));

          float[][] z = block(300 + b, Z, FRAMES);
          Engine.manualSeed(400 + b);
          float[][] dTs = ts.process("decode", z);
          Engine.manualSeed(400 + b);
          float[][] dNative = new float[channels][block];
          decoder.process(unproject(model, z), dNative);
          worst = Math.max(worst, maxDiff(dTs, dNative));
        }
        assertThat(peak).as("the stream has started producing sound").isGreaterThan(1e-4);
        assertThat(worst).as("max abs difference over %d blocks (peak %s)", BLOCKS, peak).isLessThan(2e-4);
      }
    }
  }

  private static float[][] project(RaveModel model, float[][] z) {
    return rows(model.projectLatent(tensor(z)));
  }

  private static float[][] unproject(RaveModel model, float[][] z) {
    return rows(model.unprojectLatent(tensor(z)));
  }

  private static Tensor tensor(float[][] rows) {
    float[] flat = new float[rows.length * rows[0].length];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, flat, r * rows[0].length, rows[0].length);
    }
    return Tensor.fromFloats(flat, 1, rows.length, rows[0].length);
  }

  private static float[][] rows(Tensor t) {
    int n = (int) t.size(1);
    int len = (int) t.size(2);
    float[] flat = t.toFloatArray();
    float[][] out = new float[n][len];
    for (int r = 0; r < n; r++) {
      System.arraycopy(flat, r * len, out[r], 0, len);
    }
    return out;
  }

  private static double maxDiff(float[][] a, float[][] b) {
    assertThat(a.length).isEqualTo(b.length);
    double m = 0;
    for (int r = 0; r < a.length; r++) {
      assertThat(a[r].length).isEqualTo(b[r].length);
      for (int i = 0; i < a[r].length; i++) {
        m = Math.max(m, Math.abs(a[r][i] - b[r][i]));
      }
    }
    return m;
  }

  private static double maxAbs(float[][] a) {
    double m = 0;
    for (float[] row : a) {
      for (float v : row) {
        m = Math.max(m, Math.abs(v));
      }
    }
    return m;
  }
}
