package org.jrave.streaming.graph;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One convolution-like layer ({@link ConvShape}) over one block, on weights packed once: rows of
 * {@code inChannels / groups * kernel} floats, taps in input order. The block's taps are first
 * gathered into an im2col matrix (the delayed, padded history is simply the columns before the
 * input's head), then every output row is one row of a matrix product.
 *
 * <p>Two products, chosen by the output length: with few output samples (the deep, wide layers of
 * a short block) the layer is bound by reading its weights, so each weight row is read once for up
 * to four outputs at a time as dot products along the taps; with many output samples (the shallow
 * layers) it is bound by arithmetic, and a tile of 8 rows by 2 vectors of outputs (4 by 2, 4 by
 * 1 for what is left) accumulates along the taps. Rows are shared out between the {@link Workers}.
 */
final class ConvKernel implements Kernel {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = F.length();
  /** Below this many output samples per row the weight-streaming dot form is used. */
  static final int DOT_FORM_BELOW = 16;

  private final String name;
  /** Read the input's samples from before the offline signal's start as zeros (see {@link Signal}). */
  private final boolean silenceBeforeStart;
  private final ConvShape shape;
  /** The signal the taps are gathered from. */
  private final Signal in;
  /** A LeakyReLU applied to the taps as they are gathered ({@link #withLeakyInput}), or null. */
  private final FusedLeakyRelu leaky;
  private final Signal out;
  private final PackedWeights weights;
  private final float[] bias;
  private final int outLength;
  private final boolean dotForm;
  private final int columns;
  /** im2col: {@code [outLength][columns]} in the dot form, {@code [columns][outLength]} otherwise. */
  private final float[] taps;
  /** Row results before they are spread over the phases (phases > 1 only). */
  private final float[] phaseRows;
  /** Per chunk, the lane scratch of {@link PackedWeights}' dot methods (sized at the first block). */
  private float[][] laneScratch = new float[0][];
  private final Workers.Task product = this::rows;
  private final Workers.Task gathering = this::gather;
  /** Below this many gathered taps the gathering is not worth sharing out. */
  private static final int PARALLEL_GATHER_FROM = 8192;
  /** Below this many multiply-adds a product is not worth sharing out. */
  private static final long PARALLEL_PRODUCT_FROM = 65_536;

  /**
   * The LeakyReLU that produced this convolution's declared input {@code activated} from the signal
   * the taps are gathered from, computed while gathering instead of as a step of its own: one pass
   * over the samples less and one signal less to write, slide and read (most of RAVE's convolutions
   * follow one).
   */
  record FusedLeakyRelu(Signal activated, float slope) {}

  ConvKernel(String name, ConvShape shape, boolean silenceBeforeStart, Signal in, Signal out, PackedWeights weights,
      float[] bias) {
    this(name, shape, silenceBeforeStart, in, null, out, weights, bias);
  }

  private ConvKernel(String name, ConvShape shape, boolean silenceBeforeStart, Signal in, FusedLeakyRelu leaky,
      Signal out, PackedWeights weights, float[] bias) {
    this.name = name;
    this.silenceBeforeStart = silenceBeforeStart;
    this.shape = shape;
    this.in = in;
    this.leaky = leaky;
    this.out = out;
    this.weights = weights;
    this.bias = bias;
    this.outLength = shape.outputLength(in.block());
    if (out.block() != outLength * shape.phases() || out.channels() != shape.outChannels()) {
      throw new IllegalArgumentException(name + ": output signal " + out + " does not fit " + shape);
    }
    this.dotForm = outLength < DOT_FORM_BELOW;
    this.columns = shape.inChannels() * shape.kernel();
    this.taps = new float[columns * outLength];
    this.phaseRows = shape.phases() > 1 ? new float[shape.outRows() * outLength] : null;
    in.requireHistory(shape.readOffset());
  }

  @Override
  public String name() {
    return name;
  }

  /** The signal the taps are gathered from. */
  Signal input() {
    return in;
  }

  boolean hasLeakyInput() {
    return leaky != null;
  }

  /** The same convolution reading {@code source}, the undelayed input of the LeakyReLU that made its input. */
  ConvKernel withLeakyInput(Signal source, float slope) {
    if (leaky != null || source.block() != in.block() || source.channels() != in.channels() || source.lag() != in.lag()) {
      throw new IllegalArgumentException(name + ": cannot read " + source + " through a LeakyReLU instead of " + in);
    }
    return new ConvKernel(name, shape, silenceBeforeStart, source, new FusedLeakyRelu(in, slope), out, weights,
        bias);
  }

  @Override
  public void accept(KernelVisitor visitor) {
    Signal declared = in;
    if (leaky != null) {
      visitor.leakyRelu(in, 0, leaky.activated(), leaky.slope());
      declared = leaky.activated();
    }
    visitor.convolution(declared, out, shape, weights.floats(), bias == null ? null : bias.clone(), silenceBeforeStart);
  }

  @Override
  public void run(Workers workers) {
    if ((long) columns * outLength >= PARALLEL_GATHER_FROM) {
      workers.run(gathering);
    } else {
      gather(0, 1);
    }
    if (silenceBeforeStart) {
      silenceTapsBeforeStart();
    }
    if (laneScratch.length < workers.chunksPerStep()) {
      laneScratch = new float[workers.chunksPerStep()][PackedWeights.SCRATCH];
    }
    if (multiplyAdds() >= PARALLEL_PRODUCT_FROM) {
      workers.run(product);
    } else {
      rows(0, 1);
    }
  }

  /** Multiply-adds per block (for profiles). */
  long multiplyAdds() {
    return (long) shape.outRows() * shape.rowLength() * outLength;
  }

  /** Input channels {@code [from, to)} of this worker's share into the im2col matrix. */
  private void gather(int chunk, int chunks) {
    float[] x = in.data();
    int stride = in.rowStride();
    int k = shape.kernel();
    int s = shape.stride();
    int d = shape.dilation();
    int base = in.head() - shape.readOffset();
    int to = Workers.to(shape.inChannels(), 1, chunk, chunks);
    boolean activate = leaky != null;
    float slope = activate ? leaky.slope() : 1f;
    for (int c = Workers.from(shape.inChannels(), 1, chunk, chunks); c < to; c++) {
      int row = c * stride + base;
      for (int j = 0; j < k; j++) {
        int src = row + j * d;
        int column = c * k + j;
        if (dotForm) {
          for (int t = 0; t < outLength; t++) {
            float v = x[src + t * s];
            taps[t * columns + column] = activate ? RowKernel.LeakyRelu.of(v, slope) : v;
          }
        } else if (s == 1 && !activate) {
          System.arraycopy(x, src, taps, column * outLength, outLength);
        } else if (s == 1) {
          RowKernel.LeakyRelu.apply(x, src, taps, column * outLength, outLength, slope);
        } else {
          int dst = column * outLength;
          for (int t = 0; t < outLength; t++) {
            float v = x[src + t * s];
            taps[dst + t] = activate ? RowKernel.LeakyRelu.of(v, slope) : v;
          }
        }
      }
    }
  }

  /**
   * Zeroes the gathered taps that read input samples from before the offline signal's start: the
   * input's first {@code lag} stream samples. Only the first blocks of a stream have any.
   */
  private void silenceTapsBeforeStart() {
    long firstRead = in.samplesProduced() - in.block() - shape.readOffset();
    long cutoff = in.lag() - firstRead;
    if (cutoff <= 0) {
      return;
    }
    int k = shape.kernel();
    for (int c = 0; c < shape.inChannels(); c++) {
      for (int j = 0; j < k; j++) {
        int column = c * k + j;
        for (int t = 0; t < outLength; t++) {
          if ((long) t * shape.stride() + (long) j * shape.dilation() < cutoff) {
            taps[dotForm ? t * columns + column : column * outLength + t] = 0f;
          }
        }
      }
    }
  }

  /** One chunk of output rows. */
  private void rows(int chunk, int chunks) {
    int grain = 4;
    int from = Workers.from(shape.outRows(), grain, chunk, chunks);
    int to = Workers.to(shape.outRows(), grain, chunk, chunks);
    if (dotForm) {
      float[] lanes = laneScratch[chunk];
      int q = from;
      if (outLength == 1) {
        for (; q + 4 <= to && shape.groupOffset(q) == shape.groupOffset(q + 3); q += 4) {
          weights.dotFourRows(lanes, q * shape.rowLength(), shape.rowLength(), taps, shape.groupOffset(q), target(q),
              targetStart(q), phaseRows != null ? 1 : out.rowStride(), biasOf(q), biasOf(q + 1), biasOf(q + 2),
              biasOf(q + 3));
        }
      }
      // Four rows at a time, four (then two) outputs each; bfloat16 only from four outputs (with
      // two, its widened loads make the four-row form slower than two rows: 131 against 154-171 us).
      if (outLength >= 2 && outLength % 2 == 0 && (!weights.reduced() || outLength >= 4)) {
        for (; q + 4 <= to && shape.groupOffset(q) == shape.groupOffset(q + 3); q += 4) {
          dotRowQuad(lanes, q);
        }
      }
      if (outLength >= 2) {
        for (; q + 2 <= to && shape.groupOffset(q) == shape.groupOffset(q + 1); q += 2) {
          dotRowPair(lanes, q);
        }
      }
      for (; q < to; q++) {
        dotRow(lanes, q);
      }
    } else {
      int q = from;
      while (q + 8 <= to && outLength >= 2 * LANES && shape.groupOffset(q) == shape.groupOffset(q + 7)) {
        tileEightRows(laneScratch[chunk], q);
        q += 8;
      }
      while (q < to) {
        if (q + 4 <= to && shape.groupOffset(q) == shape.groupOffset(q + 3)) {
          tileRows(q);
          q += 4;
        } else {
          rowTail(q, 0);
          q++;
        }
      }
    }
    if (phaseRows != null) {
      spreadPhases(from, to);
    }
  }

  private float biasOf(int q) {
    return bias == null ? 0f : bias[q / shape.phases()];
  }

  /** Where row {@code q}'s first result goes: the output signal itself unless it has phases. */
  private float[] target(int q) {
    return phaseRows != null ? phaseRows : out.data();
  }

  private int targetStart(int q) {
    return phaseRows != null ? q * outLength : out.blockStart(q);
  }

  // ------------------------------------------------------------------ dot form (few outputs)

  private void dotRow(float[] lanes, int q) {
    int n = shape.rowLength();
    int offset = shape.groupOffset(q);
    float b = biasOf(q);
    float[] y = target(q);
    int y0 = targetStart(q);
    int t = 0;
    while (t < outLength) {
      int count = outLength - t >= 4 ? 4 : outLength - t >= 2 ? 2 : 1;
      weights.dot(lanes, q * n, n, taps, t * columns + offset, columns, count, y, y0 + t, b);
      t += count;
    }
  }

  /**
   * Rows q..q+3 (one group), four (then two) outputs at a time: four weight streams, each load
   * feeding several products.
   */
  private void dotRowQuad(float[] lanes, int q) {
    int n = shape.rowLength();
    int offset = shape.groupOffset(q);
    float[] y = target(q);
    int y0 = targetStart(q);
    int yStride = targetStart(q + 1) - y0;
    int t = 0;
    for (; t + 4 <= outLength; t += 4) {
      weights.dotFourRowsFourColumns(lanes, q * n, n, taps, t * columns + offset, columns, y, y0 + t, yStride,
          biasOf(q), biasOf(q + 1), biasOf(q + 2), biasOf(q + 3));
    }
    for (; t < outLength; t += 2) {
      weights.dotFourRowsTwoColumns(lanes, q * n, n, taps, t * columns + offset, columns, y, y0 + t, yStride,
          biasOf(q), biasOf(q + 1), biasOf(q + 2), biasOf(q + 3));
    }
  }

  /** Rows q and q + 1 (one group) together, so that each weight and tap loaded feeds two products. */
  private void dotRowPair(float[] lanes, int q) {
    int n = shape.rowLength();
    int offset = shape.groupOffset(q);
    float[] y = target(q);
    int y0 = targetStart(q);
    int y1 = targetStart(q + 1);
    float b0 = biasOf(q);
    float b1 = biasOf(q + 1);
    int t = 0;
    while (outLength - t >= 2) {
      int count = outLength - t >= 4 ? 4 : 2;
      weights.dotTwoRows(lanes, q * n, n, taps, t * columns + offset, columns, count, y, y0 + t, y1 + t, b0, b1);
      t += count;
    }
    if (t < outLength) {
      weights.dot(lanes, q * n, n, taps, t * columns + offset, columns, 1, y, y0 + t, b0);
      weights.dot(lanes, (q + 1) * n, n, taps, t * columns + offset, columns, 1, y, y1 + t, b1);
    }
  }

  // ------------------------------------------------------------------ tiled form (many outputs)

  /** Rows q..q+7 (one group) over all outputs: 8 x 2 vectors of accumulators, then the 4-row forms for the rest. */
  private void tileEightRows(float[] biases, int q) {
    int n = shape.rowLength();
    int offset = shape.groupOffset(q);
    float[] y = target(q);
    int y0 = targetStart(q);
    int yStride = targetStart(q + 1) - y0;
    for (int r = 0; r < 8; r++) {
      biases[r] = biasOf(q + r);
    }
    int t = 0;
    for (; t + 2 * LANES <= outLength; t += 2 * LANES) {
      weights.tile8x2(q * n, n, taps, offset * outLength + t, outLength, y, y0 + t, yStride, biases);
    }
    if (t < outLength) {
      tileRows(q, t);
      tileRows(q + 4, t);
    }
  }

  /** Rows q..q+3 (one group) over all outputs: 4 x 2 vectors of accumulators. */
  private void tileRows(int q) {
    tileRows(q, 0);
  }

  /** Rows q..q+3 from output {@code t0} on. */
  private void tileRows(int q, int t0) {
    int n = shape.rowLength();
    int offset = shape.groupOffset(q);
    float[] y = target(q);
    int t = t0;
    for (; t + 2 * LANES <= outLength; t += 2 * LANES) {
      weights.tile4x2(q * n, n, taps, offset * outLength + t, outLength,
          y, targetStart(q) + t, targetStart(q + 1) + t, targetStart(q + 2) + t, targetStart(q + 3) + t,
          biasOf(q), biasOf(q + 1), biasOf(q + 2), biasOf(q + 3));
    }
    for (; t + LANES <= outLength; t += LANES) {
      weights.tile4x1(q * n, n, taps, offset * outLength + t, outLength,
          y, targetStart(q) + t, targetStart(q + 1) + t, targetStart(q + 2) + t, targetStart(q + 3) + t,
          biasOf(q), biasOf(q + 1), biasOf(q + 2), biasOf(q + 3));
    }
    for (int r = 0; r < 4 && t < outLength; r++) {
      rowTail(q + r, t);
    }
  }

  /** Row {@code q} from output {@code t0} on, one vector (then one lane) at a time. */
  private void rowTail(int q, int t0) {
    int n = shape.rowLength();
    int offset = shape.groupOffset(q);
    float[] y = target(q);
    int y0 = targetStart(q);
    float b = biasOf(q);
    int t = t0;
    for (; t + LANES <= outLength; t += LANES) {
      weights.column(q * n, n, taps, offset * outLength + t, outLength, y, y0 + t, b);
    }
    for (; t < outLength; t++) {
      float sum = b;
      for (int i = 0; i < n; i++) {
        sum += weights.get(q * n + i) * taps[(offset + i) * outLength + t];
      }
      y[y0 + t] = sum;
    }
  }

  // ------------------------------------------------------------------ phases

  /** Rows q = o * phases + p go to output channel o at samples t * phases + p. */
  private void spreadPhases(int from, int to) {
    int phases = shape.phases();
    float[] y = out.data();
    for (int q = from; q < to; q++) {
      int o = q / phases;
      int p = q % phases;
      int dst = out.blockStart(o) + p;
      int src = q * outLength;
      for (int t = 0; t < outLength; t++) {
        y[dst + t * phases] = phaseRows[src + t];
      }
    }
  }

  @Override
  public String toString() {
    return name + (leaky != null ? " (leaky input)" : "") + " " + shape + (dotForm ? " dot" : " tiled") + " x" + outLength;
  }
}
