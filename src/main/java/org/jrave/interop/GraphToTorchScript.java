package org.jrave.interop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jrave.engine.Module;
import org.jrave.streaming.graph.BlockGraph;
import org.jrave.streaming.graph.ConvShape;
import org.jrave.streaming.graph.KernelVisitor;
import org.jrave.streaming.graph.Signal;

/**
 * Writes one block graph of the engine as a streaming TorchScript method of an nn~ export: each
 * signal's block is a tensor {@code [batch, channels, samples]} of whatever length the call brings
 * (any multiple of the model's ratio: no length is baked in); a signal with history becomes a cache
 * buffer of {@link StreamingHelpers#MAX_BATCH} rows joined before its block and updated in place;
 * delays and convolution windows are slices of that joined tensor. Where the stream is (for the
 * start-of-stream silence and the PQMF signs) comes from an int64 counter of input samples: every
 * signal's rate is a fixed multiple of the input's.
 */
final class GraphToTorchScript implements KernelVisitor {

  private final ScriptBuffers buffers;
  private final String prefix;
  private final Function<Module, String> paths;
  private final Signal input;
  private final List<String> lines = new ArrayList<>();
  private final Map<Signal, String> blocks = new HashMap<>();
  private final Map<Signal, Joined> joined = new HashMap<>();
  private boolean positionRead;
  private int temporaries;

  private GraphToTorchScript(ScriptBuffers buffers, String prefix, Function<Module, String> paths, Signal input) {
    this.buffers = buffers;
    this.prefix = prefix;
    this.paths = paths;
    this.input = input;
  }

  /**
   * {@code def <name>(self, x)} running {@code graph} on {@code x}, its caches and constants
   * registered in {@code buffers} under {@code prefix}; {@code paths} gives a bridged layer's
   * state-dict path.
   */
  static String method(String name, BlockGraph graph, ScriptBuffers buffers, String prefix,
      Function<Module, String> paths) {
    Signal in = graph.inputs().get(0);
    GraphToTorchScript w = new GraphToTorchScript(buffers, prefix, paths, in);
    w.blocks.put(in, "x");
    graph.accept(w);
    String out = w.read(graph.output(), 0);
    StringBuilder src = new StringBuilder("def ").append(name).append("(self, x):\n");
    if (w.positionRead) {
      String counter = buffers.counter(prefix + "position");
      src.append("    n = int(").append(counter).append(".item())\n");
      src.append("    ").append(counter).append(".add_(x.shape[2])\n");
    }
    for (String line : w.lines) {
      src.append("    ").append(line).append('\n');
    }
    return src.append("    return ").append(out).append("\n\n").toString();
  }

  private void line(String statement) {
    lines.add(statement);
  }

  private String temp() {
    return "t" + temporaries++;
  }

  /**
   * Binds {@code out}'s block to the value of {@code expression}. A signal described again (an
   * activation fused into several convolutions that read it) keeps its first value.
   */
  private void write(Signal out, String expression) {
    if (blocks.containsKey(out)) {
      return;
    }
    String v = "s" + blocks.size();
    line(v + " = " + expression);
    blocks.put(out, v);
  }

  private String block(Signal signal) {
    String v = blocks.get(signal);
    if (v == null) {
      throw new IllegalStateException(signal + " is read before it is written");
    }
    return v;
  }

  /** {@code signal}'s block seen {@code delay} samples late. */
  private String read(Signal signal, int delay) {
    return delay == 0 ? block(signal) : window(signal, delay, delay);
  }

  /**
   * The samples of {@code signal} from {@code start} before its block's head to {@code end} before
   * its end: a slice of history and block.
   */
  private String window(Signal signal, int start, int end) {
    Joined all = joined(signal, start);
    if (start > all.history()) {
      throw new IllegalStateException(signal + " is read " + start + " samples back, its cache keeps " + all.history());
    }
    int from = all.history() - start;
    return all.value() + "[:, :, " + from + ":" + (end == 0 ? "" : all.value() + ".shape[2] - " + end) + "]";
  }

  /** A signal's history then block, as a tensor expression. */
  private record Joined(String value, int history) {}

  /**
   * History then block; the cache keeps the tail for the next call. The history is the signal's
   * own, or what its first reader needs if more (a signal a fused kernel describes but never keeps).
   */
  private Joined joined(Signal signal, int needed) {
    Joined j = joined.get(signal);
    if (j != null) {
      return j;
    }
    int history = Math.max(signal.history(), needed);
    if (history == 0) {
      return new Joined(block(signal), 0);
    }
    String cache = buffers.cache(prefix + signal.name().replaceAll("[^A-Za-z0-9_]", "_"),
        StreamingHelpers.MAX_BATCH, signal.channels(), history);
    j = new Joined("h" + joined.size(), history);
    line(j.value() + " = self._prepend(" + cache + ", " + block(signal) + ")");
    joined.put(signal, j);
    return j;
  }

  /** Stream index of the first sample of {@code signal}'s block. */
  private String position(Signal signal) {
    positionRead = true;
    long a = signal.block();
    long b = input.block();
    long g = gcd(a, b);
    a /= g;
    b /= g;
    String scaled = a == 1 ? "n" : "n * " + a;
    return b == 1 ? scaled : scaled + " // " + b;
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  private String channelVector(float[] values) {
    return buffers.constant(values, values.length, 1);
  }

  // ---------------------------------------------------------------- kernels

  @Override
  public void convolution(Signal in, Signal out, ConvShape shape, float[] rows, float[] bias,
      boolean silenceBeforeStart) {
    String x = window(in, shape.readOffset(), shape.readOffset() - shape.padding());
    if (silenceBeforeStart && in.lag() > 0) {
      String w = temp();
      line(w + " = self._silence_from(" + x + ", " + position(in) + " - " + shape.readOffset() + ", " + in.lag() + ")");
      x = w;
    }
    String weight = buffers.constant(rows, shape.outRows(), shape.inChannels() / shape.groups(), shape.kernel());
    String b = "None";
    if (bias != null) {
      float[] perRow = new float[shape.outRows()];
      for (int q = 0; q < perRow.length; q++) {
        perRow[q] = bias[q / shape.phases()];
      }
      b = buffers.constant(perRow, perRow.length);
    }
    String y = "torch.conv1d(%s, %s, %s, [%d], [0], [%d], %d)".formatted(x, weight, b, shape.stride(),
        shape.dilation(), shape.groups());
    if (shape.phases() > 1) {
      // Row o * phases + p is output channel o at samples t * phases + p.
      String rowsOut = temp();
      line(rowsOut + " = " + y);
      y = "%1$s.reshape(%1$s.shape[0], %2$d, %3$d, -1).transpose(2, 3).reshape(%1$s.shape[0], %2$d, -1)"
          .formatted(rowsOut, shape.outChannels(), shape.phases());
    }
    write(out, y);
  }

  @Override
  public void leakyRelu(Signal in, int delay, Signal out, float slope) {
    write(out, "torch.leaky_relu(" + read(in, delay) + ", " + slope + ")");
  }

  @Override
  public void snake(Signal in, int delay, Signal out, float[] alpha) {
    String x = read(in, delay);
    String a = channelVector(alpha);
    write(out, x + " + torch.pow(torch.sin(" + a + " * " + x + "), 2) / (" + a + " + 1e-9)");
  }

  @Override
  public void affine(Signal in, int delay, Signal out, float[] scale, float[] shift) {
    write(out, read(in, delay) + " * " + channelVector(scale) + " + " + channelVector(shift));
  }

  @Override
  public void add(Signal a, int delayA, Signal b, int delayB, Signal out) {
    write(out, read(a, delayA) + " + " + read(b, delayB));
  }

  @Override
  public void delay(Signal in, int delay, Signal out) {
    write(out, read(in, delay));
  }

  @Override
  public void waveOutput(Signal wave, int waveDelay, Signal noise, int noiseDelay, Signal out, boolean modulated) {
    String x = read(wave, waveDelay);
    if (modulated) {
      int half = out.channels();
      x = x + "[:, :" + half + "] * torch.sigmoid(" + x + "[:, " + half + ":])";
    }
    if (noise != null) {
      x = x + " + " + read(noise, noiseDelay);
    }
    write(out, "torch.tanh(" + x + ")");
  }

  @Override
  public void loudnessOutput(Signal wave, int waveDelay, Signal loudness, int loudnessDelay, Signal noise,
      int noiseDelay, Signal out) {
    String y = "torch.tanh(" + read(wave, waveDelay) + ") * " + scaledPower("torch.sigmoid(" + read(loudness,
        loudnessDelay) + ")");
    write(out, noise == null ? y : y + " + " + read(noise, noiseDelay));
  }

  /** {@code 2 s^2.3 + 1e-7}. */
  private static String scaledPower(String s) {
    return "(2.0 * torch.pow(" + s + ", 2.3) + 1e-7)";
  }

  @Override
  public void alternatingSign(Signal in, Signal out, int bands) {
    write(out, "self._alternating_sign(" + read(in, 0) + ", " + bands + ", " + position(in) + " - " + in.lag() + ")");
  }

  @Override
  public void filteredNoise(Signal features, Signal out, int bands, int noiseBands, int frameLength,
      float[][] response) {
    float[] map = new float[noiseBands * frameLength];
    for (int t = 0; t < frameLength; t++) {
      for (int i = 0; i < noiseBands; i++) {
        map[i * frameLength + t] = response[t][i];
      }
    }
    String amp = temp();
    line(amp + " = " + scaledPower("torch.sigmoid(" + read(features, 0) + " - 5.0)"));
    line("batch, frames = %1$s.shape[0], %1$s.shape[2]".formatted(amp));
    // Each frame's impulse response is a fixed linear map of its magnitudes.
    String ir = temp();
    line("%s = torch.matmul(%s.permute(0, 2, 1).reshape(batch, frames, %d, %d), %s)".formatted(ir, amp, bands,
        noiseBands, buffers.constant(map, noiseBands, frameLength)));
    // Uniform draws from torch's generator, in the layer's order; a causal convolution per frame.
    int n = frameLength;
    String u = temp();
    line("%s = torch.rand([batch, frames, %d, %d], dtype=%s.dtype) * 2.0 - 1.0".formatted(u, bands, n, ir));
    String spectrum = temp();
    line(("%s = torch.fft_rfft(torch.constant_pad_nd(%s, [0, %d], 0.0), %d)"
        + " * torch.fft_rfft(torch.constant_pad_nd(%s, [%d, 0], 0.0), %d)").formatted(spectrum, u, n, 2 * n, ir, n,
        2 * n));
    write(out, "torch.fft_irfft(%s, %d)[..., %d:].permute(0, 2, 1, 3).reshape(batch, %d, frames * %d)".formatted(
        spectrum, 2 * n, n, bands, n));
  }

  @Override
  public void bridge(String name, Signal in, Signal out) {
    throw new IllegalStateException(name + " is bridged without its module: its TorchScript cannot be written");
  }

  @Override
  public void bridge(String name, Module layer, Signal in, Signal out) {
    // The layer's own TorchScript, as the offline export writes it (on x).
    LayerScriptWriter writer = new LayerScriptWriter();
    writer.line("x = " + read(in, 0));
    writer.layer(layer, paths.apply(layer));
    writer.body("").lines().forEach(this::line);
    write(out, "x");
  }
}
