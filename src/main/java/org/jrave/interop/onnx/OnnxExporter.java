package org.jrave.interop.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Parameter;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.interop.onnx.OnnxGraph.Attr;
import org.jrave.model.RaveModel;
import org.jrave.model.blocks.Conv1d;
import org.jrave.model.blocks.ConvTranspose1d;
import org.jrave.model.blocks.LeakyRelu;
import org.jrave.model.blocks.NetLayer;
import org.jrave.model.blocks.Padding;
import org.jrave.model.blocks.Residual;
import org.jrave.model.blocks.Sequential;
import org.jrave.model.blocks.Snake;
import org.jrave.model.config.EncoderV2Config;
import org.jrave.model.config.GeneratorV2Config;
import org.jrave.model.config.LatentConfig;
import org.jrave.model.config.RaveConfig;
import org.jrave.model.pqmf.Pqmf;
import org.jrave.model.v2.GeneratorV2;
import org.jrave.model.v2.NoiseGeneratorV2;

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
 * The outputs are {@code audio_out} and the next caches. The computation is jrave's streaming plan
 * (the one its real-time processor runs), so the output is the offline output delayed by the
 * processor's latency.
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
  private String x;
  private long channels;
  private long length;

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
      OnnxExporter e = new OnnxExporter(model);
      e.weights();
      return e.build(method, frames, out);
    }
  }

  private static void requireSupported(RaveConfig c) {
    if (!(c.latent() instanceof LatentConfig.Variational)) {
      throw new UnsupportedOperationException("ONNX export covers variational (VAE) models");
    }
    if (!(c.encoder() instanceof EncoderV2Config e) || !(c.decoder() instanceof GeneratorV2Config d)
        || e.adain() || d.adain()) {
      throw new UnsupportedOperationException("ONNX export covers v2-family models without AdaIN");
    }
  }

  private void weights() {
    Map<String, Parameter> params = model.namedParameters();
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      String name = e.getKey();
      if (name.endsWith(".weight_v")) {
        continue;
      }
      Tensor value = e.getValue().value().detach();
      if (name.endsWith(".weight_g")) {
        String base = name.substring(0, name.length() - 2);
        Tensor v = params.get(base + "_v").value().detach();
        value = v.mul(value.div(v.normExceptDim(0)));
        name = base;
      }
      g.floats(name, value.contiguous().toFloatArray(), value.shape());
    }
    for (Map.Entry<String, Parameter> e : model.namedBuffers().entrySet()) {
      Tensor t = e.getValue().value();
      if (t.isFloat()) {
        g.floats(e.getKey(), t.contiguous().toFloatArray(), t.shape());
      }
    }
  }

  private Signature build(Method method, int frames, Path out) throws IOException {
    int ratio = model.ratio();
    int c = config.channels();
    int z = config.latentSize();
    declare("block_index", OnnxGraph.INT64, 1);
    int lag = 0;
    if (method == Method.FORWARD) {
      declare("audio", OnnxGraph.FLOAT, 1, c, (long) frames * ratio);
      declare("eps", OnnxGraph.FLOAT, 1, z, frames);
      set("audio", c, (long) frames * ratio);
      int bandLag = analysis();
      lag = layer(model.encoder().inner(), "encoder.encoder", bandLag);
      String mean = slice(x, 1, 0, z);
      String scale = slice(x, 1, z, 2L * z);
      String std = g.node("Add", g.node("Softplus", scale), g.scalar(1e-4f));
      set(g.node("Add", mean, g.node("Mul", std, "eps")), z, frames);
    } else {
      declare("z", OnnxGraph.FLOAT, 1, z, frames);
      set("z", z, frames);
    }
    int multiband = generator(lag);
    synthesis(multiband);
    g.output(x, "audio_out", OnnxGraph.FLOAT, 1, c, (long) frames * ratio);
    outputs.put("audio_out", new long[] {1, c, (long) frames * ratio});
    for (StateOut s : states) {
      g.output(s.value(), "state_out." + s.name(), OnnxGraph.FLOAT, s.shape());
      outputs.put("state_out." + s.name(), s.shape());
    }
    g.write(out, "jrave_" + method.name().toLowerCase(java.util.Locale.ROOT),
        "jrave streaming " + method + ", " + frames + " latent frame(s) per block, " + config.sampleRate() + " Hz");
    return new Signature(inputs, outputs, frames * ratio);
  }

  // ---------------------------------------------------------------- state and helpers

  private void declare(String name, int type, long... dims) {
    g.input(name, type, dims);
    inputs.put(name, dims);
  }

  private void set(String value, long ch, long len) {
    x = value;
    channels = ch;
    length = len;
  }

  /** A cache: declared as input {@code state.<name>}, its next value an output. */
  private String state(String name, long... shape) {
    declare("state." + name, OnnxGraph.FLOAT, shape);
    return "state." + name;
  }

  private void stateOut(String name, String value, long... shape) {
    states.add(new StateOut(name, value, shape));
  }

  private String slice(String value, long axis, long start, long end) {
    return g.node("Slice", value, g.longs(new long[] {start}, 1), g.longs(new long[] {end}, 1),
        g.longs(new long[] {axis}, 1));
  }

  /** Prepends a cache of {@code n} samples along time; the next cache is the joined signal's last n. */
  private String prepend(String name, String value, long rows, long ch, long len, long n) {
    String cache = state(name, rows, ch, n);
    String joined = g.node("Concat", List.of(cache, value), Attr.of("axis", 2L));
    stateOut(name, slice(joined, 2, len, len + n), rows, ch, n);
    return joined;
  }

  private String delay(String name, String value, long rows, long ch, long len, long n) {
    return slice(prepend(name, value, rows, ch, len, n), 2, 0, len);
  }

  /** The global index of this block's first sample at a rate of {@code perBlock} samples per block, minus lag. */
  private String position(long perBlock, long lag) {
    return g.node("Sub", g.node("Mul", "block_index", g.longs(new long[] {perBlock}, 1)), g.longs(new long[] {lag}, 1));
  }

  /** Zeroes the samples of a block that come before offline time 0 (the stream's first {@code lag}). */
  private String silence(String value, long len, long lag) {
    String t = g.node("Add", g.longs(range(len), len), position(len, 0));
    String keep = g.node("Cast", List.of(g.node("GreaterOrEqual", t, g.longs(new long[] {lag}, 1))),
        Attr.of("to", (long) OnnxGraph.FLOAT));
    return g.node("Mul", value, keep);
  }

  private static long[] range(long n) {
    long[] r = new long[(int) n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }

  // ---------------------------------------------------------------- layers (jrave's streaming plan)

  private int layer(Object layer, String path, int inputDelay) {
    switch (layer) {
      case Sequential s -> {
        int delay = inputDelay;
        for (int i = 0; i < s.layers().size(); i++) {
          delay = layer(s.layers().get(i), path + "." + i, delay);
        }
        return delay;
      }
      case Residual r -> {
        String skip = x;
        long ch = channels;
        long len = length;
        int out = layer(r.branch(), path + ".aligned.branches.0", inputDelay);
        int identity = out - inputDelay;
        String aligned = identity > 0 ? delay(path + ".identity", skip, 1, ch, len, identity) : skip;
        x = g.node("Add", x, aligned);
        return out;
      }
      case NetLayer<?> n -> {
        return layer(n.net(), path + ".net", inputDelay);
      }
      case Conv1d c -> {
        return conv(c, path, inputDelay);
      }
      case ConvTranspose1d t -> {
        return transposed(t, path, inputDelay);
      }
      case LeakyRelu l -> {
        x = g.node("LeakyRelu", List.of(x), Attr.of("alpha", l.slope()));
        return inputDelay;
      }
      case Snake s -> {
        String a = path + ".alpha";
        String sin = g.node("Sin", g.node("Mul", a, x));
        x = g.node("Add", x, g.node("Div", g.node("Mul", sin, sin), g.node("Add", a, g.scalar(1e-9f))));
        return inputDelay;
      }
      default -> throw new UnsupportedOperationException(
          "ONNX export does not support " + layer.getClass().getSimpleName() + " layers yet");
    }
  }

  private int conv(Conv1d c, String path, int inputDelay) {
    Conv1d.Spec s = c.spec();
    Padding p = s.padding();
    int stride = s.stride();
    int strideDelay = Math.floorMod(-(p.right() + (s.streamAligned() ? inputDelay : 0)), stride);
    if (inputDelay > 0) {
      x = silence(x, length, inputDelay);
    }
    if (strideDelay > 0) {
      x = delay(path + ".stride_delay", x, 1, channels, length, strideDelay);
    }
    long len = length;
    if (p.total() > 0) {
      x = prepend(path + ".history", x, 1, channels, length, p.total());
      len += p.total();
    }
    List<String> in = new ArrayList<>(List.of(x, path + ".weight"));
    if (s.bias()) {
      in.add(path + ".bias");
    }
    x = g.node("Conv", in, Attr.ints("dilations", s.dilation()), Attr.of("group", (long) s.groups()),
        Attr.ints("kernel_shape", s.kernel()), Attr.ints("pads", 0, 0), Attr.ints("strides", stride));
    length = (len - (long) s.dilation() * (s.kernel() - 1) - 1) / stride + 1;
    channels = s.outChannels();
    return (p.right() + strideDelay + inputDelay) / stride;
  }

  private int transposed(ConvTranspose1d t, String path, int inputDelay) {
    if (inputDelay > 0) {
      x = silence(x, length, inputDelay);
    }
    x = g.node("ConvTranspose", List.of(x, path + ".weight"), Attr.of("group", 1L),
        Attr.ints("kernel_shape", t.kernel()), Attr.ints("pads", 0, 0), Attr.ints("strides", t.stride()));
    long full = (length - 1) * t.stride() + t.kernel();
    long tail = t.kernel() - t.stride();
    long out = full - tail;
    if (out < tail) {
      throw new UnsupportedOperationException("ONNX blocks must be at least " + tail / t.stride() + " frames");
    }
    channels = t.outChannels();
    if (tail > 0) {
      String cache = state(path + ".overlap", 1, channels, tail);
      String head = g.node("Add", slice(x, 2, 0, tail), cache);
      stateOut(path + ".overlap", slice(x, 2, out, full), 1, channels, tail);
      x = out > tail ? g.node("Concat", List.of(head, slice(x, 2, tail, out)), Attr.of("axis", 2L)) : head;
    }
    if (t.biasOrNull() != null) {
      x = g.node("Add", x, g.node("Reshape", path + ".bias", g.longs(new long[] {1, -1, 1}, 3)));
    }
    length = out;
    return t.padding() + inputDelay * t.stride();
  }

  private int generator(int inputDelay) {
    GeneratorV2 gen = (GeneratorV2) model.decoder();
    GeneratorV2Config c = (GeneratorV2Config) config.decoder();
    int hiddenDelay = layer(gen.net(), "decoder.net", inputDelay);
    String noise = null;
    int out = hiddenDelay;
    if (gen.waveformModule() != null) {
      String hidden = x;
      long hc = channels;
      long hl = length;
      out = layer(gen.waveformModule(), "decoder.waveform_module", hiddenDelay);
      String wave = x;
      long wc = channels;
      long wl = length;
      set(hidden, hc, hl);
      noise = noise(gen.noiseModule(), c, hiddenDelay);
      set(wave, wc, wl);
    }
    if (c.amplitudeModulation()) {
      long half = channels / 2;
      x = g.node("Mul", slice(x, 1, 0, half), g.node("Sigmoid", slice(x, 1, half, channels)));
      channels = half;
    }
    x = g.node("Tanh", noise == null ? x : g.node("Add", x, noise));
    return out;
  }

  /** The filtered noise: fixed linear maps for the impulse responses, a causal convolution per frame. */
  private String noise(NoiseGeneratorV2 n, GeneratorV2Config c, int inputDelay) {
    layer(n.children().get("net"), "decoder.noise_module.net", inputDelay);
    int bands = c.outputChannels();
    int noiseBands = c.noise().noiseBands();
    int frameLength = n.targetSize();
    long frames = length;
    String amp = g.node("Add", g.node("Mul", g.scalar(2f), g.node("Pow",
        g.node("Sigmoid", g.node("Sub", x, g.scalar(5f))), g.scalar(2.3f))), g.scalar(1e-7f));
    amp = g.node("Reshape", g.node("Transpose", List.of(amp), Attr.ints("perm", 0, 2, 1)),
        g.longs(new long[] {1, frames, bands, noiseBands}, 4));
    String ir = g.node("MatMul", amp, g.constant(impulseResponseMatrix(noiseBands, frameLength),
        noiseBands, frameLength));
    declare("noise", OnnxGraph.FLOAT, 1, frames, bands, frameLength);
    String u = g.node("Sub", g.node("Mul", "noise", g.scalar(2f)), g.scalar(1f));
    // Toeplitz rows of each frame's noise: t[n][j] = u[n - j] for j <= n, else 0.
    String padded = g.node("Concat", List.of(g.constant(new float[(int) (frames * bands)],
        1, frames, bands, 1), u), Attr.of("axis", 3L));
    long[] index = new long[frameLength * frameLength];
    for (int i = 0; i < frameLength; i++) {
      for (int j = 0; j < frameLength; j++) {
        index[i * frameLength + j] = j <= i ? i - j + 1 : 0;
      }
    }
    String toeplitz = g.node("Gather", List.of(padded, g.longs(index, frameLength, frameLength)), Attr.of("axis", 3L));
    String weighted = g.node("Mul", toeplitz, g.node("Unsqueeze", ir, g.longs(new long[] {3}, 1)));
    String filtered = g.node("ReduceSum", List.of(weighted, g.longs(new long[] {4}, 1)), Attr.of("keepdims", 0L));
    return g.node("Reshape", g.node("Transpose", List.of(filtered), Attr.ints("perm", 0, 2, 1, 3)),
        g.longs(new long[] {1, bands, frames * frameLength}, 3));
  }

  /**
   * The impulse response of each magnitude bin, {@code [noiseBands, frameLength]}: the responses
   * of jrave's filtered noise to unit magnitudes (inverse real FFT, centring shift, Hann window,
   * pad or truncate, shift back), which are linear in the magnitudes.
   */
  private static float[] impulseResponseMatrix(int noiseBands, int frameLength) {
    int k = 2 * (noiseBands - 1);
    float[] eye = new float[noiseBands * noiseBands];
    for (int i = 0; i < noiseBands; i++) {
      eye[i * noiseBands + i] = 1f;
    }
    Tensor ir = Tensor.fromFloats(eye, noiseBands, noiseBands).toComplex().irfft(k);
    ir = ir.roll(k / 2, -1).mul(Tensor.hannWindow(k));
    ir = frameLength >= k ? ir.padLast(0, frameLength - k) : ir.narrow(-1, 0, frameLength).contiguous();
    return ir.roll(Math.floorDiv(-k, 2), -1).contiguous().toFloatArray();
  }

  // ---------------------------------------------------------------- filter bank

  private int analysis() {
    Pqmf pqmf = model.pqmf();
    if (pqmf == null || pqmf.bands() == 1) {
      return 0;
    }
    int m = pqmf.bands();
    int c = config.channels();
    Padding a = pqmf.analysisPadding();
    int strideDelay = Math.floorMod(-a.right(), m);
    int frameLag = (a.right() + strideDelay) / m;
    long len = length;
    x = g.node("Reshape", x, g.longs(new long[] {c, 1, len}, 3));
    if (strideDelay > 0) {
      x = delay("pqmf.analysis_stride_delay", x, c, 1, len, strideDelay);
    }
    x = prepend("pqmf.analysis_history", x, c, 1, len, a.total());
    x = g.node("Conv", List.of(x, "pqmf.forward_conv.weight"), Attr.ints("kernel_shape", a.total() + 1),
        Attr.ints("pads", 0, 0), Attr.ints("strides", m));
    long frames = len / m;
    x = g.node("Mul", x, signs(m, frames, frameLag));
    x = g.node("Reshape", x, g.longs(new long[] {1, (long) c * m, frames}, 3));
    set(x, (long) c * m, frames);
    return frameLag;
  }

  private void synthesis(int inputDelay) {
    Pqmf pqmf = model.pqmf();
    if (pqmf == null || pqmf.bands() == 1) {
      return;
    }
    int m = pqmf.bands();
    int c = config.channels();
    Padding s = pqmf.synthesisPadding();
    long frames = length;
    x = g.node("Reshape", x, g.longs(new long[] {c, m, frames}, 3));
    if (inputDelay > 0) {
      x = silence(x, frames, inputDelay);
    }
    x = g.node("Mul", x, signs(m, frames, inputDelay));
    x = prepend("pqmf.synthesis_history", x, c, m, frames, s.total());
    x = g.node("Conv", List.of(x, "pqmf.inverse_conv.weight"), Attr.ints("kernel_shape", s.total() + 1),
        Attr.ints("pads", 0, 0), Attr.ints("strides", 1));
    x = g.node("Mul", x, g.scalar(m));
    long[] reversed = new long[m];
    for (int i = 0; i < m; i++) {
      reversed[i] = m - 1 - i;
    }
    x = g.node("Gather", List.of(x, g.longs(reversed, m)), Attr.of("axis", 1L));
    x = g.node("Reshape", g.node("Transpose", List.of(x), Attr.ints("perm", 0, 2, 1)),
        g.longs(new long[] {1, c, frames * m}, 3));
    set(x, c, frames * m);
  }

  /** {@code [M, frames]}: -1 for odd bands at even global frames (this block's frames minus lag), else +1. */
  private String signs(int m, long frames, long lag) {
    String t = g.node("Add", g.longs(range(frames), frames), position(frames, lag));
    String even = g.node("Cast", List.of(g.node("Equal", g.node("Mod", t, g.longs(new long[] {2}, 1)),
        g.longs(new long[] {0}, 1))), Attr.of("to", (long) OnnxGraph.FLOAT));
    float[] odd = new float[m];
    for (int k = 0; k < m; k++) {
      odd[k] = k % 2 == 1 ? 2f : 0f;
    }
    String oddTwice = g.constant(odd, m, 1);
    return g.node("Sub", g.scalar(1f), g.node("Mul", oddTwice, g.node("Unsqueeze", even, g.longs(new long[] {0}, 1))));
  }
}
