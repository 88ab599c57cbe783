package org.jrave.interop.onnx;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jrave.interop.onnx.OnnxGraph.Attr;
import org.jrave.streaming.graph.ConvShape;
import org.jrave.streaming.graph.KernelVisitor;
import org.jrave.streaming.graph.Signal;

/**
 * Writes one block graph of the engine as ONNX nodes, batch 1: each signal's block is a value
 * {@code [1, channels, block]}; a signal with history becomes a state input (its last samples of
 * the previous block) joined before the block, whose tail is the next state; delays and windows
 * are slices of that joined signal. The stream position comes from the {@code block_index} input.
 */
final class GraphToOnnx implements KernelVisitor {

  /** Where the graph's interface is declared: its inputs, and the next values of its caches. */
  interface Interface {
    void input(String name, int type, long... dims);

    /** Cache {@code name}: read as input {@code state.<name>}, its next value output {@code state_out.<name>}. */
    void stateOut(String name, String value, long... shape);
  }

  private final OnnxGraph g;
  private final String prefix;
  private final Interface io;
  private final Map<Signal, String> blocks = new HashMap<>();
  private final Map<Signal, String> joined = new HashMap<>();

  GraphToOnnx(OnnxGraph g, String prefix, Interface io) {
    this.g = g;
    this.prefix = prefix;
    this.io = io;
  }

  /** The value carrying an input signal's block. */
  void bind(Signal signal, String value) {
    blocks.put(signal, value);
  }

  /** {@code signal}'s block seen {@code delay} samples late. */
  String read(Signal signal, int delay) {
    String block = block(signal);
    if (delay == 0) {
      return block;
    }
    int h = signal.history();
    return slice(joined(signal), 2, h - delay, h - delay + signal.block());
  }

  String slice(String value, long axis, long start, long end) {
    return g.node("Slice", value, g.longs(new long[] {start}, 1), g.longs(new long[] {end}, 1),
        g.longs(new long[] {axis}, 1));
  }

  private String block(Signal signal) {
    String value = blocks.get(signal);
    if (value == null) {
      throw new IllegalStateException(signal + " is read before it is written");
    }
    return value;
  }

  /** History then block, {@code [1, channels, history + block]}; the tail is the next state. */
  private String joined(Signal signal) {
    return joined.computeIfAbsent(signal, s -> {
      int h = s.history();
      if (h == 0) {
        return block(s);
      }
      String name = prefix + s.name().replaceAll("[^A-Za-z0-9_.]", "_");
      String state = "state." + name;
      io.input(state, OnnxGraph.FLOAT, 1, s.channels(), h);
      String all = g.node("Concat", List.of(state, block(s)), Attr.of("axis", 2L));
      io.stateOut(name, slice(all, 2, s.block(), s.block() + h), 1, s.channels(), h);
      return all;
    });
  }

  /** Stream index of this block's first sample of {@code signal} (samples per block times the block index). */
  private String blockStart(Signal signal) {
    return g.node("Mul", "block_index", g.longs(new long[] {signal.block()}, 1));
  }

  private String range(long n, long offset) {
    long[] r = new long[(int) n];
    for (int i = 0; i < n; i++) {
      r[i] = i + offset;
    }
    return g.longs(r, n);
  }

  private String channelVector(float[] values) {
    return g.constant(values, 1, values.length, 1);
  }

  private void write(Signal out, String value) {
    blocks.put(out, value);
  }

  // ---------------------------------------------------------------- kernels

  @Override
  public void convolution(Signal in, Signal out, ConvShape shape, float[] rows, float[] bias, boolean silenceBeforeStart) {
    int h = in.history();
    long start = h - shape.readOffset();
    long length = shape.padding() + in.block();
    String window = start == 0 && length == (long) h + in.block() ? joined(in) : slice(joined(in), 2, start, start + length);
    if (silenceBeforeStart && in.lag() > 0) {
      // Window sample j is stream sample (block start - readOffset + j): zero those before the lag.
      String t = g.node("Add", range(length, -shape.readOffset()), blockStart(in));
      String keep = g.node("Cast", List.of(g.node("GreaterOrEqual", t, g.longs(new long[] {in.lag()}, 1))),
          Attr.of("to", (long) OnnxGraph.FLOAT));
      window = g.node("Mul", window, keep);
    }
    int rowLength = shape.inChannels() / shape.groups();
    List<String> args = new java.util.ArrayList<>(List.of(window,
        g.constant(rows, shape.outRows(), rowLength, shape.kernel())));
    if (bias != null) {
      float[] perRow = new float[shape.outRows()];
      for (int q = 0; q < perRow.length; q++) {
        perRow[q] = bias[q / shape.phases()];
      }
      args.add(g.constant(perRow, perRow.length));
    }
    String y = g.node("Conv", args, Attr.ints("dilations", shape.dilation()), Attr.of("group", (long) shape.groups()),
        Attr.ints("kernel_shape", shape.kernel()), Attr.ints("pads", 0, 0), Attr.ints("strides", shape.stride()));
    int phases = shape.phases();
    if (phases > 1) {
      // Row o * phases + p is output channel o at samples t * phases + p.
      long frames = out.block() / phases;
      y = g.node("Reshape", y, g.longs(new long[] {1, out.channels(), phases, frames}, 4));
      y = g.node("Transpose", List.of(y), Attr.ints("perm", 0, 1, 3, 2));
      y = g.node("Reshape", y, g.longs(new long[] {1, out.channels(), out.block()}, 3));
    }
    write(out, y);
  }

  @Override
  public void leakyRelu(Signal in, int delay, Signal out, float slope) {
    write(out, g.node("LeakyRelu", List.of(read(in, delay)), Attr.of("alpha", slope)));
  }

  @Override
  public void snake(Signal in, int delay, Signal out, float[] alpha) {
    String x = read(in, delay);
    String a = channelVector(alpha);
    String sin = g.node("Sin", g.node("Mul", a, x));
    write(out, g.node("Add", x, g.node("Div", g.node("Mul", sin, sin), g.node("Add", a, g.scalar(1e-9f)))));
  }

  @Override
  public void affine(Signal in, int delay, Signal out, float[] scale, float[] shift) {
    write(out, g.node("Add", g.node("Mul", read(in, delay), channelVector(scale)), channelVector(shift)));
  }

  @Override
  public void add(Signal a, int delayA, Signal b, int delayB, Signal out) {
    write(out, g.node("Add", read(a, delayA), read(b, delayB)));
  }

  @Override
  public void delay(Signal in, int delay, Signal out) {
    write(out, read(in, delay));
  }

  @Override
  public void waveOutput(Signal wave, int waveDelay, Signal noise, int noiseDelay, Signal out, boolean modulated) {
    String x = read(wave, waveDelay);
    if (modulated) {
      long half = out.channels();
      x = g.node("Mul", slice(x, 1, 0, half), g.node("Sigmoid", slice(x, 1, half, 2 * half)));
    }
    if (noise != null) {
      x = g.node("Add", x, read(noise, noiseDelay));
    }
    write(out, g.node("Tanh", x));
  }

  @Override
  public void loudnessOutput(Signal wave, int waveDelay, Signal loudness, int loudnessDelay, Signal noise,
      int noiseDelay, Signal out) {
    String y = g.node("Mul", g.node("Tanh", read(wave, waveDelay)), scaledPower(g.node("Sigmoid",
        read(loudness, loudnessDelay))));
    write(out, noise == null ? y : g.node("Add", y, read(noise, noiseDelay)));
  }

  /** {@code 2 s^2.3 + 1e-7}. */
  private String scaledPower(String s) {
    return g.node("Add", g.node("Mul", g.scalar(2f), g.node("Pow", s, g.scalar(2.3f))), g.scalar(1e-7f));
  }

  @Override
  public void alternatingSign(Signal in, Signal out, int bands) {
    String x = read(in, 0);
    String t = g.node("Add", range(in.block(), -in.lag()), blockStart(in));
    String even = g.node("Cast", List.of(g.node("Equal", g.node("Mod", t, g.longs(new long[] {2}, 1)),
        g.longs(new long[] {0}, 1))), Attr.of("to", (long) OnnxGraph.FLOAT));
    float[] oddTwice = new float[in.channels()];
    for (int c = 0; c < oddTwice.length; c++) {
      oddTwice[c] = (c % bands) % 2 == 1 ? 2f : 0f;
    }
    String sign = g.node("Sub", g.scalar(1f), g.node("Mul", channelVector(oddTwice),
        g.node("Reshape", even, g.longs(new long[] {1, 1, in.block()}, 3))));
    write(out, g.node("Mul", x, sign));
  }

  @Override
  public void filteredNoise(Signal features, Signal out, int bands, int noiseBands, int frameLength,
      float[][] response) {
    long frames = features.block();
    String amp = scaledPower(g.node("Sigmoid", g.node("Sub", read(features, 0), g.scalar(5f))));
    amp = g.node("Reshape", g.node("Transpose", List.of(amp), Attr.ints("perm", 0, 2, 1)),
        g.longs(new long[] {1, frames, bands, noiseBands}, 4));
    float[] map = new float[noiseBands * frameLength];
    for (int t = 0; t < frameLength; t++) {
      for (int i = 0; i < noiseBands; i++) {
        map[i * frameLength + t] = response[t][i];
      }
    }
    String ir = g.node("MatMul", amp, g.constant(map, noiseBands, frameLength));
    io.input("noise", OnnxGraph.FLOAT, 1, frames, bands, frameLength);
    String u = g.node("Sub", g.node("Mul", "noise", g.scalar(2f)), g.scalar(1f));
    // Toeplitz rows of each frame's draws: row m holds u[m - j] at j <= m, else 0.
    String padded = g.node("Concat", List.of(g.constant(new float[(int) (frames * bands)], 1, frames, bands, 1), u),
        Attr.of("axis", 3L));
    long[] index = new long[frameLength * frameLength];
    for (int m = 0; m < frameLength; m++) {
      for (int j = 0; j < frameLength; j++) {
        index[m * frameLength + j] = j <= m ? m - j + 1 : 0;
      }
    }
    String toeplitz = g.node("Gather", List.of(padded, g.longs(index, frameLength, frameLength)), Attr.of("axis", 3L));
    String weighted = g.node("Mul", toeplitz, g.node("Unsqueeze", ir, g.longs(new long[] {3}, 1)));
    String filtered = g.node("ReduceSum", List.of(weighted, g.longs(new long[] {4}, 1)), Attr.of("keepdims", 0L));
    write(out, g.node("Reshape", g.node("Transpose", List.of(filtered), Attr.ints("perm", 0, 2, 1, 3)),
        g.longs(new long[] {1, bands, frames * frameLength}, 3)));
  }

  @Override
  public void bridge(String name, Signal in, Signal out) {
    throw new UnsupportedOperationException("ONNX export has no form for " + name
        + " (a layer the real-time engine runs through its tensor code, such as AdaIN)");
  }
}
