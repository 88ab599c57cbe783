package org.jrave.interop.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrave.engine.NoGrad;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveModel;
import org.jrave.model.config.LatentConfig;
import org.jrave.model.config.RaveConfig;
import org.jrave.streaming.StreamingModel;
import org.jrave.streaming.graph.BlockGraph;

/**
 * Streaming ONNX export of {@code forward} (audio block to audio block) or {@code decode} (latent
 * frames to audio) for runtimes without libtorch: batch 1, a fixed block of latent frames, and the
 * stream state as explicit tensors. Every block the host passes:
 *
 * <ul>
 *   <li>{@code audio} {@code [1, channels, frames * ratio]} (forward) or {@code z} {@code [1, latent,
 *       frames]} (decode, the decoder's latent);
 *   <li>{@code eps} {@code [1, latent, frames]} (forward): the standard-normal draws of the latent
 *       sample (zeros for the posterior mean);
 *   <li>{@code noise} (models with a noise branch): uniform draws in [0, 1) for the filtered noise
 *       (0.5 everywhere for silence);
 *   <li>{@code block_index} {@code [1]} int64: 0, 1, 2, ... (where the stream is, for the
 *       start-up transient and the filter bank's sign pattern);
 *   <li>{@code state.<name>}: the caches, zeros for the first block, then the {@code
 *       state_out.<name>} outputs of the previous block.
 * </ul>
 *
 * The outputs are {@code audio_out} and the next caches. The graph is written from the block
 * engine's own graphs ({@link StreamingModel#forExport}), kernel by kernel ({@link GraphToOnnx}):
 * the computation the real-time processor runs, so the output is the offline output delayed by the
 * processor's latency, and a layer the engine can lower needs nothing here.
 */
public final class OnnxExporter {

  /** Which method to export. */
  public enum Method {
    FORWARD,
    DECODE
  }

  /** The next value of a cache, to be declared as output {@code state_out.<name>}. */
  private record StateOut(String name, String value, long[] shape) {}

  /** The interface of a written file: its inputs and outputs with their shapes. */
  public record Signature(Map<String, long[]> inputs, Map<String, long[]> outputs, int blockSamples) {}

  private final RaveModel model;
  private final RaveConfig config;
  private final OnnxGraph g = new OnnxGraph();
  private final Map<String, long[]> inputs = new LinkedHashMap<>();
  private final Map<String, long[]> outputs = new LinkedHashMap<>();
  private final List<StateOut> states = new ArrayList<>();

  private OnnxExporter(RaveModel model) {
    this.model = model;
    this.config = model.config();
  }

  /** Writes {@code method} with blocks of {@code frames} latent frames. */
  public static Signature export(RaveModel model, Method method, int frames, Path out) throws IOException {
    requireSupported(model.config());
    if (frames < 1) {
      throw new IllegalArgumentException("an ONNX block needs at least one latent frame, got " + frames);
    }
    try (TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      return new OnnxExporter(model).build(method, frames, out);
    }
  }

  private static void requireSupported(RaveConfig c) {
    if (!(c.latent() instanceof LatentConfig.Variational) || c.latent().noiseAugmentation() > 0) {
      throw new UnsupportedOperationException("ONNX export covers variational (VAE) models without noise augmentation");
    }
  }

  private Signature build(Method method, int frames, Path out) throws IOException {
    int ratio = model.ratio();
    int c = config.channels();
    int z = config.latentSize();
    int samples = frames * ratio;
    declare("block_index", OnnxGraph.INT64, 1);
    StreamingModel.Method part = method == Method.FORWARD ? StreamingModel.Method.FORWARD : StreamingModel.Method.DECODE;
    try (StreamingModel stream = StreamingModel.forExport(model, part, samples)) {
      String latent;
      if (method == Method.FORWARD) {
        declare("audio", OnnxGraph.FLOAT, 1, c, samples);
        declare("eps", OnnxGraph.FLOAT, 1, z, frames);
        BlockGraph encoder = stream.encoderGraph();
        GraphToOnnx writer = new GraphToOnnx(g, "encoder.", io);
        writer.bind(encoder.inputs().get(0), "audio");
        encoder.accept(writer);
        String raw = writer.read(encoder.output(), 0);
        String mean = writer.slice(raw, 1, 0, z);
        String scale = writer.slice(raw, 1, z, 2L * z);
        String std = g.node("Add", g.node("Softplus", scale), g.scalar(1e-4f));
        latent = g.node("Add", mean, g.node("Mul", std, "eps"));
      } else {
        declare("z", OnnxGraph.FLOAT, 1, z, frames);
        latent = "z";
      }
      BlockGraph decoder = stream.decoderGraph();
      GraphToOnnx writer = new GraphToOnnx(g, "decoder.", io);
      writer.bind(decoder.inputs().get(0), latent);
      decoder.accept(writer);
      g.output(writer.read(decoder.output(), 0), "audio_out", OnnxGraph.FLOAT, 1, c, samples);
    }
    outputs.put("audio_out", new long[] {1, c, samples});
    for (StateOut s : states) {
      g.output(s.value(), "state_out." + s.name(), OnnxGraph.FLOAT, s.shape());
      outputs.put("state_out." + s.name(), s.shape());
    }
    g.write(out, "jrave_" + method.name().toLowerCase(java.util.Locale.ROOT),
        "jrave streaming " + method + ", " + frames + " latent frame(s) per block, " + config.sampleRate() + " Hz");
    return new Signature(inputs, outputs, samples);
  }

  /** The graph's inputs and cache outputs, as the writers declare them. */
  private final GraphToOnnx.Interface io = new GraphToOnnx.Interface() {
    @Override
    public void input(String name, int type, long... dims) {
      declare(name, type, dims);
    }

    @Override
    public void stateOut(String name, String value, long... shape) {
      states.add(new StateOut(name, value, shape));
    }
  };

  private void declare(String name, int type, long... dims) {
    g.input(name, type, dims);
    inputs.put(name, dims);
  }
}
