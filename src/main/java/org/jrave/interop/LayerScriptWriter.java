package org.jrave.interop;

import java.util.ArrayList;
import java.util.List;
import org.jrave.engine.Module;
import org.jrave.model.blocks.AdaptiveInstanceNormalization;
import org.jrave.model.blocks.BatchNorm1d;
import org.jrave.model.blocks.Branches;
import org.jrave.model.blocks.Conv1d;
import org.jrave.model.blocks.ConvTranspose1d;
import org.jrave.model.blocks.LeakyRelu;
import org.jrave.model.blocks.NetLayer;
import org.jrave.model.blocks.Padding;
import org.jrave.model.blocks.Residual;
import org.jrave.model.blocks.Sequential;
import org.jrave.model.blocks.Snake;
import org.jrave.model.config.GeneratorV1Config;
import org.jrave.model.config.GeneratorV2Config;
import org.jrave.model.v1.GeneratorV1;
import org.jrave.model.v1.SampleNorm;
import org.jrave.model.v2.GeneratorV2;
import org.jrave.model.v2.NoiseGeneratorV2;

/**
 * Turns a jrave layer tree into straight-line TorchScript statements on one variable ({@code x}),
 * with weights read from the exported module's attributes under the layer's state-dict path (e.g.
 * {@code getattr(self.encoder.encoder.net, "0").weight}). Weight-normalised convolutions refer to
 * their fused {@code weight}. Layers it does not know are refused with the layer's class name.
 *
 * <p>In streaming mode (a stream name given) it writes the block-by-block form jrave's streaming
 * engine runs: the same delay plan (each layer told the lag of its input, returning the lag of its
 * output), with the engine's caches as module buffers named {@code <layer path>.<stream>_<slot>}
 * ({@link #caches()}), updated in place by the helpers of {@link StreamingHelpers}.
 */
final class LayerScriptWriter {

  /** Rows of every cache buffer: the largest batch a streaming export accepts. */
  static final int MAX_BATCH = 64;

  /** A cache buffer the streaming code needs: zeros of {@code shape}, int64 for counters. */
  record Cache(String name, long[] shape, boolean counter) {}

  private final List<String> lines = new ArrayList<>();
  private final List<Cache> caches = new ArrayList<>();
  private final String stream;
  private int temporaries;

  /** Offline code. */
  LayerScriptWriter() {
    this(null);
  }

  /** Streaming code for the stream (method) {@code stream}, or offline code when null. */
  LayerScriptWriter(String stream) {
    this.stream = stream;
  }

  List<Cache> caches() {
    return List.copyOf(caches);
  }

  private boolean streaming() {
    return stream != null;
  }

  /** Registers a cache buffer for {@code path} and returns the expression that reads it. */
  private String cache(String path, String slot, long... shape) {
    String name = path + "." + stream + "_" + slot;
    caches.add(new Cache(name, shape, false));
    return ref(name);
  }

  private String counter(String path, String slot) {
    String name = path + "." + stream + "_" + slot;
    caches.add(new Cache(name, new long[] {1}, true));
    return ref(name);
  }

  /** In streaming: zeroes the first {@code lag} samples the layer receives (offline, they are padding). */
  private void silence(String path, int lag) {
    if (streaming() && lag > 0) {
      line("x = self._silence(" + counter(path, "received") + ", x, " + lag + ")");
    }
  }

  /** The statements written so far, each indented by {@code indent}. */
  String body(String indent) {
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      out.append(indent).append(line).append('\n');
    }
    return out.toString();
  }

  void line(String statement) {
    lines.add(statement);
  }

  /** Python expression for the module at a dotted path: {@code self.a.b} or {@code getattr(self.a, "0")}. */
  static String ref(String path) {
    String expr = "self";
    for (String part : path.split("\\.")) {
      expr = part.matches("[A-Za-z_][A-Za-z0-9_]*") ? expr + "." + part : "getattr(" + expr + ", \"" + part + "\")";
    }
    return expr;
  }

  private String temp(String prefix) {
    return prefix + (temporaries++);
  }

  /** Writes {@code x = layer(x)} for a layer at {@code path} (offline). */
  void layer(Module layer, String path) {
    layer(layer, path, 0);
  }

  /**
   * Writes {@code x = layer(x)} for a layer at {@code path} whose input lags the offline signal by
   * {@code inputDelay} samples; returns the lag of its output (0 offline).
   */
  int layer(Module layer, String path, int inputDelay) {
    switch (layer) {
      case Sequential s -> {
        List<org.jrave.model.blocks.Layer> layers = s.layers();
        int delay = inputDelay;
        for (int i = 0; i < layers.size(); i++) {
          delay = layer(layers.get(i), path + "." + i, delay);
        }
        return delay;
      }
      case Residual r -> {
        String skip = temp("skip");
        line(skip + " = x");
        int out = layer(r.branch(), path + ".aligned.branches.0", inputDelay);
        int identity = out - inputDelay;
        if (streaming() && identity > 0) {
          line("x = x + self._delay(" + cache(path, "identity", MAX_BATCH, channelsOf(r.branch()), identity) + ", "
              + skip + ")");
        } else {
          line("x = x + " + skip);
        }
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
        line("x = torch.leaky_relu(x, " + l.slope() + ")");
        return inputDelay;
      }
      case Snake s -> {
        String a = ref(path) + ".alpha";
        line("x = x + torch.pow(torch.sin(" + a + " * x), 2) / (" + a + " + 1e-9)");
        return inputDelay;
      }
      case BatchNorm1d b -> {
        String m = ref(path);
        line("x = torch.batch_norm(x, " + m + ".weight, " + m + ".bias, " + m + ".running_mean, " + m
            + ".running_var, False, 0.1, 1e-5, False)");
        return inputDelay;
      }
      case SampleNorm n -> {
        line("x = x / torch.sqrt(torch.sum(x * x, 1, True))");
        return inputDelay;
      }
      case Branches b -> {
        return branches(b, path, inputDelay);
      }
      case AdaptiveInstanceNormalization a -> {
        String m = ref(path);
        line("x = self._adain(x, " + m + ".mean_x, " + m + ".std_x, " + m + ".learn_x, " + m + ".num_update_x, "
            + m + ".mean_y, " + m + ".std_y, " + m + ".learn_y, " + m + ".num_update_y)");
        return inputDelay;
      }
      default -> throw new UnsupportedOperationException(
          "TorchScript export does not support " + layer.getClass().getSimpleName() + " layers yet");
    }
  }

  /** Sum of parallel branches; in streaming each is delayed to the slowest (as {@code Branches}). */
  private int branches(Branches b, String path, int inputDelay) {
    String input = temp("branch_in");
    line(input + " = x");
    List<String> outputs = new ArrayList<>();
    List<Integer> delays = new ArrayList<>();
    for (int i = 0; i < b.size(); i++) {
      line("x = " + input);
      delays.add(layer(b.branch(i), path + ".branches." + i, inputDelay));
      String out = temp("branch_out");
      line(out + " = x");
      outputs.add(out);
    }
    int max = delays.stream().mapToInt(Integer::intValue).max().orElse(inputDelay);
    StringBuilder sum = new StringBuilder("x = ");
    for (int i = 0; i < outputs.size(); i++) {
      int pad = max - delays.get(i);
      String term = streaming() && pad > 0
          ? "self._delay(" + cache(path, "align" + i, MAX_BATCH, outChannelsOf(b.branch(i)), pad) + ", " + outputs.get(i) + ")"
          : outputs.get(i);
      sum.append(i == 0 ? "" : " + ").append(term);
    }
    line(sum.toString());
    return streaming() ? max : 0;
  }

  /** Output channels of the last convolution in a branch. */
  static long outChannelsOf(Module branch) {
    long channels = -1;
    for (Module m : branch.modules()) {
      if (m instanceof Conv1d c) {
        channels = c.spec().outChannels();
      } else if (m instanceof ConvTranspose1d t) {
        channels = t.outChannels();
      }
    }
    if (channels < 0) {
      throw new UnsupportedOperationException("a branch without a convolution cannot be streamed");
    }
    return channels;
  }

  /** Input channels of the first convolution in a branch (the width of its residual path). */
  private static long channelsOf(Module branch) {
    for (Module m : branch.modules()) {
      if (m instanceof Conv1d c) {
        return c.spec().inChannels();
      }
    }
    throw new UnsupportedOperationException("a residual branch without a convolution cannot be streamed");
  }

  private int conv(Conv1d c, String path, int inputDelay) {
    Conv1d.Spec s = c.spec();
    Padding p = s.padding();
    String call = "x = torch.conv1d(x, " + ref(path) + ".weight, " + (s.bias() ? ref(path) + ".bias" : "None")
        + ", [" + s.stride() + "], [0], [" + s.dilation() + "], " + s.groups() + ")";
    if (!streaming()) {
      if (p.total() > 0) {
        line("x = torch.constant_pad_nd(x, [" + p.left() + ", " + p.right() + "], 0.0)");
      }
      line(call);
      return 0;
    }
    // The plan of Conv1d.streamLag (GraphBuilder.strideDelay): an extra delay keeps the offline decimation phase.
    int stride = s.stride();
    int lag = p.right() + (s.streamAligned() ? inputDelay : 0);
    int strideDelay = Math.floorMod(-lag, stride);
    silence(path, inputDelay);
    if (strideDelay > 0) {
      line("x = self._delay(" + cache(path, "stride_delay", MAX_BATCH, s.inChannels(), strideDelay) + ", x)");
    }
    if (p.total() > 0) {
      line("x = self._prepend(" + cache(path, "history", MAX_BATCH, s.inChannels(), p.total()) + ", x)");
    }
    line(call);
    return (p.right() + strideDelay + inputDelay) / stride;
  }

  private int transposed(ConvTranspose1d t, String path, int inputDelay) {
    String bias = t.biasOrNull() == null ? null : ref(path) + ".bias";
    if (!streaming()) {
      line("x = torch.conv_transpose1d(x, " + ref(path) + ".weight, " + (bias == null ? "None" : bias) + ", ["
          + t.stride() + "], [" + t.padding() + "], [0], 1, [1])");
      return 0;
    }
    // The full transposed convolution; its tail overlaps the next block and is carried over.
    silence(path, inputDelay);
    line("x = torch.conv_transpose1d(x, " + ref(path) + ".weight, None, [" + t.stride() + "], [0], [0], 1, [1])");
    int tail = t.kernel() - t.stride();
    if (tail > 0) {
      line("x = self._overlap_add(" + cache(path, "overlap", MAX_BATCH, t.outChannels(), tail) + ", x)");
    }
    if (bias != null) {
      line("x = x + " + bias + ".reshape(1, -1, 1)");
    }
    return t.padding() + inputDelay * t.stride();
  }

  /**
   * Writes the v2 decoder: {@code x = decoder(x)} (latent to multiband signal); returns the output
   * lag as {@code GeneratorV2.streamLag} does (the waveform path's).
   */
  int generatorV2(GeneratorV2 g, GeneratorV2Config c, String path, int inputDelay) {
    int hiddenDelay = layer(g.net(), path + ".net", inputDelay);
    if (g.waveformModule() == null) {
      amplitudeAndTanh(c);
      return hiddenDelay;
    }
    String hidden = temp("hidden");
    line(hidden + " = x");
    int out = layer(g.waveformModule(), path + ".waveform_module", hiddenDelay);
    String wave = temp("wave");
    line(wave + " = x");
    line("x = " + hidden);
    NoiseGeneratorV2 n = g.noiseModule();
    noise(n.children().get("net"), path + ".noise_module.net", c.outputChannels(), c.noise().noiseBands(),
        n.targetSize(), hiddenDelay);
    String noise = temp("noise");
    line(noise + " = x");
    line("x = " + wave);
    amplitudeModulation(c);
    line("x = torch.tanh(x + " + noise + ")");
    return out;
  }

  private void amplitudeAndTanh(GeneratorV2Config c) {
    amplitudeModulation(c);
    line("x = torch.tanh(x)");
  }

  private void amplitudeModulation(GeneratorV2Config c) {
    if (c.amplitudeModulation()) {
      line("x = x[:, :x.shape[1] // 2] * torch.sigmoid(x[:, x.shape[1] // 2:])");
    }
  }

  /** Filtered uniform noise from the decoder's hidden state, as {@code FilteredNoise} makes it. */
  private int noise(Module net, String netPath, int bands, int noiseBands, int length, int inputDelay) {
    int frameDelay = layer(net, netPath, inputDelay);
    int k = 2 * (noiseBands - 1);
    line("x = 2.0 * torch.pow(torch.sigmoid(x - 5.0), 2.3) + 1e-7");
    line("batch, frames = x.shape[0], x.shape[2]");
    line("x = x.permute(0, 2, 1).reshape(batch, frames, " + bands + ", " + noiseBands + ")");
    line("ir = torch.fft_irfft(torch.complex(x, torch.zeros_like(x)), " + k + ")");
    line("ir = torch.roll(ir, [" + (k / 2) + "], [-1])");
    line("ir = ir * torch.hann_window(" + k + ", dtype=ir.dtype)");
    if (length >= k) {
      line("ir = torch.constant_pad_nd(ir, [0, " + (length - k) + "], 0.0)");
    } else {
      line("ir = ir[..., :" + length + "]");
    }
    line("ir = torch.roll(ir, [" + Math.floorDiv(-k, 2) + "], [-1])");
    line("u = torch.rand([batch, frames, " + bands + ", " + length + "], dtype=x.dtype) * 2.0 - 1.0");
    line("spectrum = torch.fft_rfft(torch.constant_pad_nd(u, [0, " + length + "], 0.0), " + 2 * length + ")"
        + " * torch.fft_rfft(torch.constant_pad_nd(ir, [" + length + ", 0], 0.0), " + 2 * length + ")");
    line("x = torch.fft_irfft(spectrum, " + 2 * length + ")[..., " + length + ":]");
    line("x = x.permute(0, 2, 1, 3).reshape(batch, " + bands + ", frames * " + length + ")");
    return frameDelay * length;
  }

  /**
   * Writes the v1 decoder: {@code net}, then the synthesis branches (waveform, loudness, noise),
   * {@code tanh(wave) * mod_sigmoid(loudness)} plus the noise once {@code warmed_up}; in streaming
   * the branches are aligned on the slowest as {@code GeneratorV1} does. Returns the output lag.
   */
  int generatorV1(GeneratorV1 g, GeneratorV1Config c, String path, int inputDelay) {
    if (streaming() && c.loudStride() != 1) {
      throw new UnsupportedOperationException("streaming needs a loudness stride of 1, this model has " + c.loudStride());
    }
    int hiddenDelay = layer(g.net(), path + ".net", inputDelay);
    String hidden = temp("hidden");
    line(hidden + " = x");
    Branches synth = (Branches) g.children().get("synth");
    String branches = path + ".synth.branches.";
    int wave = layer(synth.branch(0), branches + "0", hiddenDelay);
    String waveOut = temp("wave");
    line(waveOut + " = x");
    line("x = " + hidden);
    int loud = layer(synth.branch(1), branches + "1", hiddenDelay);
    String loudOut = temp("loud");
    line(loudOut + " = x");
    int out = Math.max(wave, loud);
    String noiseOut = null;
    int noiseDelay = 0;
    if (g.noiseModule() != null) {
      line("x = " + hidden);
      noiseDelay = noise(g.noiseModule().children().get("net"), branches + "2.net", c.outputChannels(),
          c.noise().noiseBands(), g.noiseModule().targetSize(), hiddenDelay);
      noiseOut = temp("noise");
      line(noiseOut + " = x");
      out = Math.max(out, noiseDelay);
    }
    if (streaming()) {
      waveOut = alignedTo(path, "wave", waveOut, c.outputChannels(), out - wave);
      loudOut = alignedTo(path, "loudness", loudOut, 1, out - loud);
      if (noiseOut != null) {
        noiseOut = alignedTo(path, "noise", noiseOut, c.outputChannels(), out - noiseDelay);
      }
    } else if (c.loudStride() != 1) {
      loudOut = "torch.repeat_interleave(" + loudOut + ", " + c.loudStride() + ", 2)";
    }
    line("x = torch.tanh(" + waveOut + ") * (2.0 * torch.pow(torch.sigmoid(" + loudOut + "), 2.3) + 1e-7)");
    if (noiseOut != null) {
      line("if int(" + ref(path) + ".warmed_up.item()) != 0:");
      line("    x = x + " + noiseOut);
    }
    return streaming() ? out : 0;
  }

  private String alignedTo(String path, String slot, String value, long channels, int pad) {
    return pad > 0 ? "self._delay(" + cache(path, slot, MAX_BATCH, channels, pad) + ", " + value + ")" : value;
  }
}
