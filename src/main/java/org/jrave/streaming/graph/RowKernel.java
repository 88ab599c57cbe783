package org.jrave.streaming.graph;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A sample-by-sample step: every output row is a function of input rows at the same instant
 * (inputs read {@code delay} samples before their heads, which aligns streams of different lags).
 * Cheap next to the convolutions, so it runs on the calling thread.
 */
abstract class RowKernel implements Kernel {
  static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  private final String name;
  final Signal out;
  private final Signal[] inputs;
  private final int[] delays;

  RowKernel(String name, Signal out, Signal[] inputs, int[] delays) {
    this.name = name;
    this.out = out;
    this.inputs = inputs;
    this.delays = delays;
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i].block() != out.block()) {
        throw new IllegalArgumentException(name + ": input " + inputs[i] + " and output " + out + " differ in block");
      }
      inputs[i].requireHistory(delays[i]);
    }
  }

  @Override
  public String name() {
    return name;
  }

  final Signal input(int i) {
    return inputs[i];
  }

  final int delay(int i) {
    return delays[i];
  }

  /** Index in input {@code i}'s data of row {@code channel}'s (delayed) block. */
  final int start(int i, int channel) {
    return inputs[i].blockStart(channel) - delays[i];
  }

  final float[] in(int i) {
    return inputs[i].data();
  }

  /** Below this many samples a step is not worth sharing out. */
  private static final int PARALLEL_FROM = 8192;
  private final Workers.Task rows = this::rows;

  @Override
  public void run(Workers workers) {
    if ((long) out.channels() * out.block() >= PARALLEL_FROM) {
      workers.run(rows);
    } else {
      rows(0, 1);
    }
  }

  private void rows(int chunk, int chunks) {
    int n = out.block();
    float[] y = out.data();
    int to = Workers.to(out.channels(), 1, chunk, chunks);
    for (int c = Workers.from(out.channels(), 1, chunk, chunks); c < to; c++) {
      row(c, y, out.blockStart(c), n);
    }
  }

  /** Computes row {@code channel}: {@code n} samples into {@code y} from {@code y0}. */
  abstract void row(int channel, float[] y, int y0, int n);

  // ------------------------------------------------------------------ the steps

  /** LeakyReLU: {@code max(x, slope x)} for slopes below 1. */
  static final class LeakyRelu extends RowKernel {
    private final float slope;

    LeakyRelu(String name, Signal x, int delay, Signal out, float slope) {
      super(name, out, new Signal[] {x}, new int[] {delay});
      this.slope = slope;
    }

    float slope() {
      return slope;
    }

    @Override
    public void accept(KernelVisitor v) {
      v.leakyRelu(input(0), delay(0), out, slope);
    }

    @Override
    void row(int c, float[] y, int y0, int n) {
      apply(in(0), start(0, c), y, y0, n, slope);
    }

    /** {@code n} samples of {@code x} from {@code x0} through the LeakyReLU into {@code y} from {@code y0}. */
    static void apply(float[] x, int x0, float[] y, int y0, int n, float slope) {
      int i = 0;
      for (; i <= n - F.length(); i += F.length()) {
        FloatVector v = FloatVector.fromArray(F, x, x0 + i);
        v.max(v.mul(slope)).intoArray(y, y0 + i);
      }
      for (; i < n; i++) {
        y[y0 + i] = of(x[x0 + i], slope);
      }
    }

    /** One sample through the LeakyReLU, as the vector form computes it. */
    static float of(float v, float slope) {
      return Math.max(v, v * slope);
    }
  }

  /** Snake: {@code x + sin^2(alpha x) / (alpha + 1e-9)}, alpha per channel. */
  static final class Snake extends RowKernel {
    private final float[] alpha;

    Snake(String name, Signal x, int delay, Signal out, float[] alpha) {
      super(name, out, new Signal[] {x}, new int[] {delay});
      this.alpha = alpha;
    }

    @Override
    public void accept(KernelVisitor v) {
      v.snake(input(0), delay(0), out, alpha.clone());
    }

    @Override
    void row(int c, float[] y, int y0, int n) {
      float[] x = in(0);
      int x0 = start(0, c);
      float a = alpha[c];
      float inverse = 1f / (a + 1e-9f);
      for (int i = 0; i < n; i++) {
        float s = (float) StrictMath.sin(a * x[x0 + i]);
        y[y0 + i] = s * s * inverse + x[x0 + i];
      }
    }
  }

  /** {@code scale[c] * x + shift[c]} (a batch normalisation in eval mode). */
  static final class Affine extends RowKernel {
    private final float[] scale;
    private final float[] shift;

    Affine(String name, Signal x, int delay, Signal out, float[] scale, float[] shift) {
      super(name, out, new Signal[] {x}, new int[] {delay});
      this.scale = scale;
      this.shift = shift;
    }

    @Override
    public void accept(KernelVisitor v) {
      v.affine(input(0), delay(0), out, scale.clone(), shift.clone());
    }

    @Override
    void row(int c, float[] y, int y0, int n) {
      float[] x = in(0);
      int x0 = start(0, c);
      int i = 0;
      for (; i <= n - F.length(); i += F.length()) {
        FloatVector.fromArray(F, x, x0 + i).mul(scale[c]).add(shift[c]).intoArray(y, y0 + i);
      }
      for (; i < n; i++) {
        y[y0 + i] = x[x0 + i] * scale[c] + shift[c];
      }
    }
  }

  /** The sum of two aligned signals (a residual connection, summed branches). */
  static final class Add extends RowKernel {
    Add(String name, Signal a, int delayA, Signal b, int delayB, Signal out) {
      super(name, out, new Signal[] {a, b}, new int[] {delayA, delayB});
    }

    @Override
    public void accept(KernelVisitor v) {
      v.add(input(0), delay(0), input(1), delay(1), out);
    }

    @Override
    void row(int c, float[] y, int y0, int n) {
      float[] a = in(0);
      float[] b = in(1);
      int a0 = start(0, c);
      int b0 = start(1, c);
      int i = 0;
      for (; i <= n - F.length(); i += F.length()) {
        FloatVector.fromArray(F, a, a0 + i).add(FloatVector.fromArray(F, b, b0 + i)).intoArray(y, y0 + i);
      }
      for (; i < n; i++) {
        y[y0 + i] = a[a0 + i] + b[b0 + i];
      }
    }
  }

  /** A signal seen {@code delay} samples later (a delay line, aligning branches). */
  static final class Delay extends RowKernel {
    Delay(String name, Signal x, int delay, Signal out) {
      super(name, out, new Signal[] {x}, new int[] {delay});
    }

    @Override
    public void accept(KernelVisitor v) {
      v.delay(input(0), delay(0), out);
    }

    @Override
    void row(int c, float[] y, int y0, int n) {
      System.arraycopy(in(0), start(0, c), y, y0, n);
    }
  }

  /**
   * The v2 decoder's output: {@code tanh(wave * sigmoid(amp) + noise)} with {@code [wave | amp]}
   * the waveform convolution's halves (or {@code tanh(wave + noise)} without amplitude modulation);
   * noise is optional.
   */
  static final class WaveOutput extends RowKernel {
    private final boolean modulated;
    private final int half;
    private final boolean withNoise;

    WaveOutput(String name, Signal wave, int waveDelay, Signal noise, int noiseDelay, Signal out, boolean modulated) {
      super(name, out, noise == null ? new Signal[] {wave} : new Signal[] {wave, noise},
          noise == null ? new int[] {waveDelay} : new int[] {waveDelay, noiseDelay});
      this.modulated = modulated;
      this.half = out.channels();
      this.withNoise = noise != null;
    }

    @Override
    public void accept(KernelVisitor v) {
      v.waveOutput(input(0), delay(0), withNoise ? input(1) : null, withNoise ? delay(1) : 0, out, modulated);
    }

    @Override
    void row(int c, float[] y, int y0, int n) {
      float[] w = in(0);
      int w0 = start(0, c);
      int a0 = modulated ? start(0, c + half) : 0;
      float[] z = withNoise ? in(1) : null;
      int z0 = withNoise ? start(1, c) : 0;
      for (int i = 0; i < n; i++) {
        float v = w[w0 + i];
        if (modulated) {
          v *= sigmoid(w[a0 + i]);
        }
        if (withNoise) {
          v += z[z0 + i];
        }
        y[y0 + i] = (float) StrictMath.tanh(v);
      }
    }
  }

  /**
   * The v1 decoder's output: {@code tanh(wave) * modsigmoid(loudness) (+ noise when warmed up)},
   * with one loudness row shared by every channel.
   */
  static final class LoudnessOutput extends RowKernel {
    private final boolean withNoise;

    LoudnessOutput(String name, Signal wave, int waveDelay, Signal loudness, int loudnessDelay, Signal noise,
        int noiseDelay, Signal out) {
      super(name, out, noise == null ? new Signal[] {wave, loudness} : new Signal[] {wave, loudness, noise},
          noise == null ? new int[] {waveDelay, loudnessDelay} : new int[] {waveDelay, loudnessDelay, noiseDelay});
      this.withNoise = noise != null;
    }

    @Override
    public void accept(KernelVisitor v) {
      v.loudnessOutput(input(0), delay(0), input(1), delay(1), withNoise ? input(2) : null, withNoise ? delay(2) : 0,
          out);
    }

    @Override
    void row(int c, float[] y, int y0, int n) {
      float[] w = in(0);
      float[] l = in(1);
      int w0 = start(0, c);
      int l0 = start(1, 0);
      float[] z = withNoise ? in(2) : null;
      int z0 = withNoise ? start(2, c) : 0;
      for (int i = 0; i < n; i++) {
        // modsigmoid(x) = 2 sigmoid(x)^2.3 + 1e-7
        float loud = (float) scaledPower(sigmoid(l[l0 + i]));
        float v = (float) StrictMath.tanh(w[w0 + i]) * loud;
        if (withNoise) {
          v += z[z0 + i];
        }
        y[y0 + i] = v;
      }
    }
  }

  /**
   * The PQMF's sign pattern: odd bands are negated at even offline frames. The offline frame index
   * of the block's first sample is the samples produced so far minus the signal's lag.
   */
  static final class AlternatingSign extends RowKernel {
    private final int bands;
    private final Signal x;

    AlternatingSign(String name, Signal x, Signal out, int bands) {
      super(name, out, new Signal[] {x}, new int[] {0});
      this.bands = bands;
      this.x = x;
    }

    @Override
    public void accept(KernelVisitor v) {
      v.alternatingSign(x, out, bands);
    }

    @Override
    void row(int c, float[] y, int y0, int n) {
      System.arraycopy(in(0), start(0, c), y, y0, n);
      if ((c % bands) % 2 == 1) {
        // x's block was just produced: its first sample is stream frame (produced - block).
        long first = x.samplesProduced() - x.block() - x.lag();
        for (int t = (int) Math.floorMod(-first, 2L); t < n; t += 2) {
          y[y0 + t] = -y[y0 + t];
        }
      }
    }
  }

  /**
   * Transcendental functions are computed with {@link StrictMath}, one sample at a time: the vector
   * API's versions may round differently once the JIT has compiled them, and a stream's output must
   * not depend on how far the JIT had got. These steps are a small share of a block.
   */
  static float sigmoid(float x) {
    return (float) (1 / (1 + StrictMath.exp(-x)));
  }

  /**
   * {@code 2 s^2.3 + 1e-7}, the step after the sigmoid in RAVE's "modsigmoid" (loudness and noise
   * magnitudes). Written as {@code exp(2.3 log s)}: {@code StrictMath.pow} allocates scratch arrays
   * on every call, which a block must not.
   */
  static double scaledPower(double s) {
    return 2 * StrictMath.exp(2.3 * StrictMath.log(s)) + 1e-7;
  }
}
