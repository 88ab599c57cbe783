package org.jrave.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import org.jrave.engine.Engine;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveModel;
import org.jrave.model.blocks.Conv1d;
import org.jrave.model.blocks.Layer;
import org.jrave.model.blocks.Padding;
import org.jrave.model.blocks.Sequential;
import org.jrave.streaming.RealtimeProcessor;
import org.jrave.streaming.graph.GraphBuilder;
import org.jrave.streaming.graph.Signal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streaming TorchScript export is written from the block engine's graph: a layer the
 * TorchScript writer has never heard of exports as soon as it lowers to the engine's kernels, and
 * the export matches the real-time engine block by block.
 */
class GraphToTorchScriptTest {
  @TempDir Path dir;

  /** A layer kind only the block engine knows: a depthwise 3-tap smoothing convolution. */
  static final class Smoother extends Layer {
    private final Conv1d conv;

    Smoother(int channels) {
      conv = addChild("conv", new Conv1d(new Conv1d.Spec(channels, channels, 3, 1, 1, channels, new Padding(1, 1),
          true, false, true)));
    }

    @Override
    public Tensor forward(Tensor x) {
      return conv.forward(x);
    }

    @Override
    public int streamLag(int inputLag) {
      return conv.streamLag(inputLag);
    }

    @Override
    public Signal lower(GraphBuilder g, Signal x) {
      return conv.lower(g, x);
    }
  }

  /** Appends a {@link Smoother} to the model's first network that ends in a convolution (the encoder's). */
  static RaveModel withSmoother(String presets) {
    RaveModel model = StreamingExportTest.model(presets);
    Sequential net = model.modules().stream().filter(Sequential.class::isInstance).map(Sequential.class::cast)
        .filter(s -> s.size() > 0 && s.layers().getLast() instanceof Conv1d).findFirst().orElseThrow();
    net.add(new Smoother(((Conv1d) net.layers().getLast()).spec().outChannels()));
    return model;
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "onnx", "v2_small", "v2_small+causal", "v2_small+snake", "v2_small+adain",
      "v2_small+causal+snake 2ch"})
  void aLayerOnlyTheEngineKnowsExportsAndMatchesTheEngineBlockByBlock(String presets) throws Exception {
    Path file = dir.resolve("s.ts");
    try (TensorScope s = new TensorScope(); NoGrad ng = NoGrad.enter(); RaveModel model = withSmoother(presets)) {
      assertThatThrownBy(() -> NnTildeExporter.export(model, dir.resolve("offline.ts"),
          NnTildeExporter.Options.defaults())).hasMessageContaining("Smoother");
      NnTildeExporter.export(model, file, new NnTildeExporter.Options(0.95, true));
      int channels = model.config().channels();
      int block = 2 * model.ratio();
      try (TorchScriptModel ts = TorchScriptModel.open(file);
          RealtimeProcessor forward = RealtimeProcessor.forward(model, block)) {
        double worst = 0;
        double peak = 0;
        for (int b = 0; b < 12; b++) {
          float[][] x = StreamingExportTest.block(b, channels, block);
          Engine.manualSeed(100 + b);
          float[][] yTs = ts.process("forward", x);
          Engine.manualSeed(100 + b);
          float[][] yNative = new float[channels][block];
          forward.process(x, yNative);
          for (int c = 0; c < channels; c++) {
            for (int i = 0; i < block; i++) {
              worst = Math.max(worst, Math.abs(yTs[c][i] - yNative[c][i]));
              peak = Math.max(peak, Math.abs(yNative[c][i]));
            }
          }
        }
        assertThat(peak).as("the stream has started producing sound").isGreaterThan(1e-4);
        assertThat(worst).as("max abs difference (peak %s)", peak).isLessThan(2e-4);
      }
    }
  }

  /** Batch rows are separate streams, and each call may bring any whole number of latent frames. */
  @Test
  void batchRowsAreStreamsAndBlocksMayVaryInLength() throws Exception {
    Path file = dir.resolve("b.ts");
    // No noise branch: decode draws nothing, so a batch row and a lone stream see the same numbers.
    try (TensorScope s = new TensorScope(); NoGrad ng = NoGrad.enter(); RaveModel model = withSmoother("onnx")) {
      int z = NnTildeExporter.export(model, file, new NnTildeExporter.Options(0.95, true)).latentSize();
      try (TorchScriptModel both = TorchScriptModel.open(file); TorchScriptModel first = TorchScriptModel.open(file);
          TorchScriptModel second = TorchScriptModel.open(file)) {
        int seed = 0;
        double peak = 0;
        double worst = 0;
        for (int frames : new int[] {1, 3, 2, 1, 4, 2}) {
          Tensor a = NnTildeExporterTest.noise(seed++, 1, z, frames);
          Tensor b = NnTildeExporterTest.noise(seed++, 1, z, frames);
          Tensor y = both.run("decode", Tensor.cat(java.util.List.of(a, b), 0));
          float[] batched = y.toFloatArray();
          float[] alone = Tensor.cat(java.util.List.of(first.run("decode", a), second.run("decode", b)), 0)
              .toFloatArray();
          assertThat(batched).hasSameSizeAs(alone);
          for (int i = 0; i < alone.length; i++) {
            worst = Math.max(worst, Math.abs(batched[i] - alone[i]));
            peak = Math.max(peak, Math.abs(alone[i]));
          }
        }
        assertThat(peak).as("the streams have started producing sound").isGreaterThan(1e-4);
        assertThat(worst).as("max abs difference (peak %s)", peak).isLessThan(1e-5);
      }
    }
  }

  @Test
  void theLayerWriterHasNoStreamingMode() {
    assertThat(LayerScriptWriter.class.getDeclaredConstructors())
        .allSatisfy(c -> assertThat(c.getParameterCount()).isZero());
    assertThat(Arrays.stream(LayerScriptWriter.class.getDeclaredMethods()).map(m -> m.getName()))
        .doesNotContain("caches", "cache", "counter", "silence", "transposed");
  }
}
