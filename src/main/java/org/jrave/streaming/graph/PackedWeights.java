package org.jrave.streaming.graph;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.jrave.engine.Precision;

/**
 * A convolution's weights packed once for the block engine ({@link ConvKernel}'s row layout), in
 * float32 or in bfloat16 (half the memory to stream; products and sums stay float32), with the
 * vector loops of the two matrix-product forms. Only {@link #load} and {@link #get} differ between
 * the formats, by a test of a final field that the JIT hoists out of the loops. It is deliberately
 * not a subclass per format: the loops are too large to inline, so one compiled copy serves every
 * kernel, and once both formats had run through it (the engine's warm-up runs both) each weight
 * load became a call returning a boxed vector, which made every kernel up to twice as slow.
 *
 * <p>The loops look alike on purpose: each keeps a fixed set of accumulators in vector registers
 * (rows times outputs), and the JIT only does that for straight-line code, not for loops over a
 * small array of accumulators (which would also allocate per call).
 */
final class PackedWeights {
  static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  static final int LANES = F.length();

  /**
   * With 16 lanes (AVX-512), the dot products reduce their 4, 8 or 16 accumulators together: rounds
   * of two-vector lane selections (indices from -16 select the second vector) fold pairs of vectors
   * so that each round halves the partial sums per accumulator, until one vector holds every sum,
   * in a fixed order. On the 8-output layers this took the reductions from a third of the time to
   * almost nothing (384 x 384 x 3: 73 to 59 us; x 1: 37 to 21 us, one thread). Other lane counts
   * store each accumulator and add its lanes as floats ({@link #sumLanes}).
   */
  private static final boolean FOLD16 = LANES == 16;
  private static final VectorShuffle<Float> FOLD_8_LOW = fold(8, false);
  private static final VectorShuffle<Float> FOLD_8_HIGH = fold(8, true);
  private static final VectorShuffle<Float> FOLD_4_LOW = fold(4, false);
  private static final VectorShuffle<Float> FOLD_4_HIGH = fold(4, true);
  private static final VectorShuffle<Float> FOLD_2_LOW = fold(2, false);
  private static final VectorShuffle<Float> FOLD_2_HIGH = fold(2, true);
  private static final VectorShuffle<Float> FOLD_1_LOW = fold(1, false);
  private static final VectorShuffle<Float> FOLD_1_HIGH = fold(1, true);

  /**
   * Each input vector holds groups of {@code 2 * half} partial sums; the result holds the first
   * vector's groups, then the second's, each cut to its low (or high) {@code half} lanes.
   */
  private static VectorShuffle<Float> fold(int half, boolean high) {
    if (LANES != 16) {
      return VectorShuffle.iota(F, 0, 1, true);
    }
    int[] indices = new int[LANES];
    for (int lane = 0; lane < LANES; lane++) {
      int vector = lane / (LANES / 2);
      int within = lane % (LANES / 2);
      int source = (within / half) * 2 * half + within % half + (high ? half : 0);
      indices[lane] = vector == 0 ? source : source - LANES;
    }
    return VectorShuffle.fromArray(F, indices, 0);
  }

  /** Floats of lane scratch a caller passes to the dot methods: room for eight accumulators. */
  static final int SCRATCH = 8 * LANES;

  /** The float32 weights, or null when they are bfloat16. */
  private final float[] floats;
  /** The bfloat16 weights (upper halves of the float32 bits), or null when they are float32. */
  private final short[] halves;

  private PackedWeights(float[] floats, short[] halves) {
    this.floats = floats;
    this.halves = halves;
  }

  static PackedWeights of(float[] rows, Precision precision) {
    if (precision != Precision.BF16) {
      return new PackedWeights(rows.clone(), null);
    }
    short[] halves = new short[rows.length];
    for (int i = 0; i < rows.length; i++) {
      halves[i] = toBFloat16(rows[i]);
    }
    return new PackedWeights(null, halves);
  }

  /** True for bfloat16 weights. */
  boolean reduced() {
    return halves != null;
  }

  /**
   * The sum of the {@code LANES} floats at {@code lanes[offset]}, in a fixed order (for one or two
   * accumulators, and for lane counts other than 16). Not {@code reduceLanes(ADD)}: its order differs
   * between interpreted and compiled code, so a stream's output would depend on how far the JIT had
   * got.
   */
  static float sumLanes(float[] lanes, int offset) {
    if (LANES % 4 != 0) {
      float s = 0f;
      for (int i = 0; i < LANES; i++) {
        s += lanes[offset + i];
      }
      return s;
    }
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    for (int i = offset; i < offset + LANES; i += 4) {
      s0 += lanes[i];
      s1 += lanes[i + 1];
      s2 += lanes[i + 2];
      s3 += lanes[i + 3];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** The weights as float32 rows (bfloat16 widened), a copy. */
  final float[] floats() {
    float[] out = new float[length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = get(i);
    }
    return out;
  }

  /**
   * {@code count} (1, 2 or 4) dot products of weight row {@code [w, w + n)} with the rows of
   * {@code x} starting at {@code x0}, {@code x0 + xStride}, ...; results plus {@code bias} to
   * {@code y[y0]}, {@code y[y0 + 1]}, ...
   */
  final void dot(float[] lanes, int w, int n, float[] x, int x0, int xStride, int count, float[] y, int y0, float bias) {
    int bound = n - n % LANES;
    switch (count) {
      case 4 -> {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        int x1 = x0 + xStride;
        int x2 = x1 + xStride;
        int x3 = x2 + xStride;
        for (int i = 0; i < bound; i += LANES) {
          FloatVector v = load(w + i);
          a0 = v.fma(FloatVector.fromArray(F, x, x0 + i), a0);
          a1 = v.fma(FloatVector.fromArray(F, x, x1 + i), a1);
          a2 = v.fma(FloatVector.fromArray(F, x, x2 + i), a2);
          a3 = v.fma(FloatVector.fromArray(F, x, x3 + i), a3);
        }
        float s0, s1, s2, s3;
        if (FOLD16) {
          FloatVector f1_0 = a0.rearrange(FOLD_8_LOW, a1).add(a0.rearrange(FOLD_8_HIGH, a1));
          FloatVector f1_1 = a2.rearrange(FOLD_8_LOW, a3).add(a2.rearrange(FOLD_8_HIGH, a3));
          FloatVector f2_0 = f1_0.rearrange(FOLD_4_LOW, f1_1).add(f1_0.rearrange(FOLD_4_HIGH, f1_1));
          FloatVector f3_0 = f2_0.rearrange(FOLD_2_LOW, f2_0).add(f2_0.rearrange(FOLD_2_HIGH, f2_0));
          FloatVector f4_0 = f3_0.rearrange(FOLD_1_LOW, f3_0).add(f3_0.rearrange(FOLD_1_HIGH, f3_0));
          f4_0.intoArray(lanes, 0);
          s0 = lanes[0];
          s1 = lanes[1];
          s2 = lanes[2];
          s3 = lanes[3];
        } else {
          a0.intoArray(lanes, 0);
          s0 = sumLanes(lanes, 0);
          a1.intoArray(lanes, LANES);
          s1 = sumLanes(lanes, LANES);
          a2.intoArray(lanes, 2 * LANES);
          s2 = sumLanes(lanes, 2 * LANES);
          a3.intoArray(lanes, 3 * LANES);
          s3 = sumLanes(lanes, 3 * LANES);
        }
        for (int i = bound; i < n; i++) {
          float v = get(w + i);
          s0 += v * x[x0 + i];
          s1 += v * x[x1 + i];
          s2 += v * x[x2 + i];
          s3 += v * x[x3 + i];
        }
        y[y0] = s0 + bias;
        y[y0 + 1] = s1 + bias;
        y[y0 + 2] = s2 + bias;
        y[y0 + 3] = s3 + bias;
      }
      case 2 -> {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        int x1 = x0 + xStride;
        for (int i = 0; i < bound; i += LANES) {
          FloatVector v = load(w + i);
          a0 = v.fma(FloatVector.fromArray(F, x, x0 + i), a0);
          a1 = v.fma(FloatVector.fromArray(F, x, x1 + i), a1);
        }
        a0.intoArray(lanes, 0);
        float s0 = sumLanes(lanes, 0);
        a1.intoArray(lanes, LANES);
        float s1 = sumLanes(lanes, LANES);
        for (int i = bound; i < n; i++) {
          float v = get(w + i);
          s0 += v * x[x0 + i];
          s1 += v * x[x1 + i];
        }
        y[y0] = s0 + bias;
        y[y0 + 1] = s1 + bias;
      }
      default -> {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * LANES <= bound; i += 2 * LANES) {
          a0 = load(w + i).fma(FloatVector.fromArray(F, x, x0 + i), a0);
          a1 = load(w + i + LANES).fma(FloatVector.fromArray(F, x, x0 + i + LANES), a1);
        }
        for (; i < bound; i += LANES) {
          a0 = load(w + i).fma(FloatVector.fromArray(F, x, x0 + i), a0);
        }
        a0.add(a1).intoArray(lanes, 0);
        float s = sumLanes(lanes, 0);
        for (; i < n; i++) {
          s += get(w + i) * x[x0 + i];
        }
        y[y0] = s + bias;
      }
    }
  }

  /**
   * Four consecutive weight rows from {@code w}, each a dot product with the one tap row {@code x}
   * from {@code x0}: four streams of weights in flight keep the memory busier than one. Results
   * plus {@code bias[q]} go to {@code y[y0]}, {@code y[y0 + yStride]}, ...
   */
  final void dotFourRows(float[] lanes, int w, int n, float[] x, int x0, float[] y, int y0, int yStride, float b0, float b1,
      float b2, float b3) {
    int bound = n - n % LANES;
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    FloatVector a2 = FloatVector.zero(F);
    FloatVector a3 = FloatVector.zero(F);
    int w1 = w + n;
    int w2 = w1 + n;
    int w3 = w2 + n;
    for (int i = 0; i < bound; i += LANES) {
      FloatVector v = FloatVector.fromArray(F, x, x0 + i);
      a0 = load(w + i).fma(v, a0);
      a1 = load(w1 + i).fma(v, a1);
      a2 = load(w2 + i).fma(v, a2);
      a3 = load(w3 + i).fma(v, a3);
    }
    float s0, s1, s2, s3;
    if (FOLD16) {
      FloatVector f1_0 = a0.rearrange(FOLD_8_LOW, a1).add(a0.rearrange(FOLD_8_HIGH, a1));
      FloatVector f1_1 = a2.rearrange(FOLD_8_LOW, a3).add(a2.rearrange(FOLD_8_HIGH, a3));
      FloatVector f2_0 = f1_0.rearrange(FOLD_4_LOW, f1_1).add(f1_0.rearrange(FOLD_4_HIGH, f1_1));
      FloatVector f3_0 = f2_0.rearrange(FOLD_2_LOW, f2_0).add(f2_0.rearrange(FOLD_2_HIGH, f2_0));
      FloatVector f4_0 = f3_0.rearrange(FOLD_1_LOW, f3_0).add(f3_0.rearrange(FOLD_1_HIGH, f3_0));
      f4_0.intoArray(lanes, 0);
      s0 = lanes[0];
      s1 = lanes[1];
      s2 = lanes[2];
      s3 = lanes[3];
    } else {
      a0.intoArray(lanes, 0);
      s0 = sumLanes(lanes, 0);
      a1.intoArray(lanes, LANES);
      s1 = sumLanes(lanes, LANES);
      a2.intoArray(lanes, 2 * LANES);
      s2 = sumLanes(lanes, 2 * LANES);
      a3.intoArray(lanes, 3 * LANES);
      s3 = sumLanes(lanes, 3 * LANES);
    }
    for (int i = bound; i < n; i++) {
      float v = x[x0 + i];
      s0 += get(w + i) * v;
      s1 += get(w1 + i) * v;
      s2 += get(w2 + i) * v;
      s3 += get(w3 + i) * v;
    }
    y[y0] = s0 + b0;
    y[y0 + yStride] = s1 + b1;
    y[y0 + 2 * yStride] = s2 + b2;
    y[y0 + 3 * yStride] = s3 + b3;
  }

  /**
   * Four consecutive weight rows from {@code w}, each with the two tap rows of {@code x} at
   * {@code x0} and {@code x0 + xStride}: four weight streams in flight and every load feeding
   * several products. Results plus each row's bias go to {@code y[y0 + r * yStride + t]}.
   */
  final void dotFourRowsTwoColumns(float[] lanes, int w, int n, float[] x, int x0, int xStride, float[] y, int y0, int yStride,
      float b0, float b1, float b2, float b3) {
    int bound = n - n % LANES;
    FloatVector a00 = FloatVector.zero(F);
    FloatVector a01 = FloatVector.zero(F);
    FloatVector a10 = FloatVector.zero(F);
    FloatVector a11 = FloatVector.zero(F);
    FloatVector a20 = FloatVector.zero(F);
    FloatVector a21 = FloatVector.zero(F);
    FloatVector a30 = FloatVector.zero(F);
    FloatVector a31 = FloatVector.zero(F);
    int w1 = w + n;
    int w2 = w1 + n;
    int w3 = w2 + n;
    int x1 = x0 + xStride;
    for (int i = 0; i < bound; i += LANES) {
      FloatVector u = FloatVector.fromArray(F, x, x0 + i);
      FloatVector v = FloatVector.fromArray(F, x, x1 + i);
      FloatVector p = load(w + i);
      a00 = p.fma(u, a00);
      a01 = p.fma(v, a01);
      p = load(w1 + i);
      a10 = p.fma(u, a10);
      a11 = p.fma(v, a11);
      p = load(w2 + i);
      a20 = p.fma(u, a20);
      a21 = p.fma(v, a21);
      p = load(w3 + i);
      a30 = p.fma(u, a30);
      a31 = p.fma(v, a31);
    }
    float s00, s01, s10, s11, s20, s21, s30, s31;
    if (FOLD16) {
      FloatVector f1_0 = a00.rearrange(FOLD_8_LOW, a01).add(a00.rearrange(FOLD_8_HIGH, a01));
      FloatVector f1_1 = a10.rearrange(FOLD_8_LOW, a11).add(a10.rearrange(FOLD_8_HIGH, a11));
      FloatVector f1_2 = a20.rearrange(FOLD_8_LOW, a21).add(a20.rearrange(FOLD_8_HIGH, a21));
      FloatVector f1_3 = a30.rearrange(FOLD_8_LOW, a31).add(a30.rearrange(FOLD_8_HIGH, a31));
      FloatVector f2_0 = f1_0.rearrange(FOLD_4_LOW, f1_1).add(f1_0.rearrange(FOLD_4_HIGH, f1_1));
      FloatVector f2_1 = f1_2.rearrange(FOLD_4_LOW, f1_3).add(f1_2.rearrange(FOLD_4_HIGH, f1_3));
      FloatVector f3_0 = f2_0.rearrange(FOLD_2_LOW, f2_1).add(f2_0.rearrange(FOLD_2_HIGH, f2_1));
      FloatVector f4_0 = f3_0.rearrange(FOLD_1_LOW, f3_0).add(f3_0.rearrange(FOLD_1_HIGH, f3_0));
      f4_0.intoArray(lanes, 0);
      s00 = lanes[0];
      s01 = lanes[1];
      s10 = lanes[2];
      s11 = lanes[3];
      s20 = lanes[4];
      s21 = lanes[5];
      s30 = lanes[6];
      s31 = lanes[7];
    } else {
      a00.intoArray(lanes, 0);
      s00 = sumLanes(lanes, 0);
      a01.intoArray(lanes, LANES);
      s01 = sumLanes(lanes, LANES);
      a10.intoArray(lanes, 2 * LANES);
      s10 = sumLanes(lanes, 2 * LANES);
      a11.intoArray(lanes, 3 * LANES);
      s11 = sumLanes(lanes, 3 * LANES);
      a20.intoArray(lanes, 4 * LANES);
      s20 = sumLanes(lanes, 4 * LANES);
      a21.intoArray(lanes, 5 * LANES);
      s21 = sumLanes(lanes, 5 * LANES);
      a30.intoArray(lanes, 6 * LANES);
      s30 = sumLanes(lanes, 6 * LANES);
      a31.intoArray(lanes, 7 * LANES);
      s31 = sumLanes(lanes, 7 * LANES);
    }
    for (int i = bound; i < n; i++) {
      float u = x[x0 + i];
      float v = x[x1 + i];
      s00 += get(w + i) * u;
      s01 += get(w + i) * v;
      s10 += get(w1 + i) * u;
      s11 += get(w1 + i) * v;
      s20 += get(w2 + i) * u;
      s21 += get(w2 + i) * v;
      s30 += get(w3 + i) * u;
      s31 += get(w3 + i) * v;
    }
    y[y0] = s00 + b0;
    y[y0 + 1] = s01 + b0;
    y[y0 + yStride] = s10 + b1;
    y[y0 + yStride + 1] = s11 + b1;
    y[y0 + 2 * yStride] = s20 + b2;
    y[y0 + 2 * yStride + 1] = s21 + b2;
    y[y0 + 3 * yStride] = s30 + b3;
    y[y0 + 3 * yStride + 1] = s31 + b3;
  }

  /**
   * Four consecutive weight rows from {@code w}, each with the four tap rows of {@code x} at
   * {@code x0}, {@code x0 + xStride}, ...: sixteen accumulators, and every load feeds four products
   * (half the loads per product of the two-column form). Results plus each row's bias go to
   * {@code y[y0 + r * yStride + t]}.
   */
  final void dotFourRowsFourColumns(float[] lanes, int w, int n, float[] x, int x0, int xStride, float[] y, int y0,
      int yStride, float b0, float b1, float b2, float b3) {
    int bound = n - n % LANES;
    FloatVector a00 = FloatVector.zero(F);
    FloatVector a01 = FloatVector.zero(F);
    FloatVector a02 = FloatVector.zero(F);
    FloatVector a03 = FloatVector.zero(F);
    FloatVector a10 = FloatVector.zero(F);
    FloatVector a11 = FloatVector.zero(F);
    FloatVector a12 = FloatVector.zero(F);
    FloatVector a13 = FloatVector.zero(F);
    FloatVector a20 = FloatVector.zero(F);
    FloatVector a21 = FloatVector.zero(F);
    FloatVector a22 = FloatVector.zero(F);
    FloatVector a23 = FloatVector.zero(F);
    FloatVector a30 = FloatVector.zero(F);
    FloatVector a31 = FloatVector.zero(F);
    FloatVector a32 = FloatVector.zero(F);
    FloatVector a33 = FloatVector.zero(F);
    int w1 = w + n;
    int w2 = w1 + n;
    int w3 = w2 + n;
    int x1 = x0 + xStride;
    int x2 = x1 + xStride;
    int x3 = x2 + xStride;
    for (int i = 0; i < bound; i += LANES) {
      FloatVector u0 = FloatVector.fromArray(F, x, x0 + i);
      FloatVector u1 = FloatVector.fromArray(F, x, x1 + i);
      FloatVector u2 = FloatVector.fromArray(F, x, x2 + i);
      FloatVector u3 = FloatVector.fromArray(F, x, x3 + i);
      FloatVector p0 = load(w + i);
      a00 = p0.fma(u0, a00);
      a01 = p0.fma(u1, a01);
      a02 = p0.fma(u2, a02);
      a03 = p0.fma(u3, a03);
      FloatVector p1 = load(w1 + i);
      a10 = p1.fma(u0, a10);
      a11 = p1.fma(u1, a11);
      a12 = p1.fma(u2, a12);
      a13 = p1.fma(u3, a13);
      FloatVector p2 = load(w2 + i);
      a20 = p2.fma(u0, a20);
      a21 = p2.fma(u1, a21);
      a22 = p2.fma(u2, a22);
      a23 = p2.fma(u3, a23);
      FloatVector p3 = load(w3 + i);
      a30 = p3.fma(u0, a30);
      a31 = p3.fma(u1, a31);
      a32 = p3.fma(u2, a32);
      a33 = p3.fma(u3, a33);
    }
    float s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33;
    if (FOLD16) {
      // The sixteen sums as one vector: four rounds of adding lanes folded from pairs of vectors
      // (fixed order, no lane leaves a register until the end).
      FloatVector r0 = a00.rearrange(FOLD_8_LOW, a01).add(a00.rearrange(FOLD_8_HIGH, a01));
      FloatVector r1 = a02.rearrange(FOLD_8_LOW, a03).add(a02.rearrange(FOLD_8_HIGH, a03));
      FloatVector r2 = a10.rearrange(FOLD_8_LOW, a11).add(a10.rearrange(FOLD_8_HIGH, a11));
      FloatVector r3 = a12.rearrange(FOLD_8_LOW, a13).add(a12.rearrange(FOLD_8_HIGH, a13));
      FloatVector r4 = a20.rearrange(FOLD_8_LOW, a21).add(a20.rearrange(FOLD_8_HIGH, a21));
      FloatVector r5 = a22.rearrange(FOLD_8_LOW, a23).add(a22.rearrange(FOLD_8_HIGH, a23));
      FloatVector r6 = a30.rearrange(FOLD_8_LOW, a31).add(a30.rearrange(FOLD_8_HIGH, a31));
      FloatVector r7 = a32.rearrange(FOLD_8_LOW, a33).add(a32.rearrange(FOLD_8_HIGH, a33));
      FloatVector q0 = r0.rearrange(FOLD_4_LOW, r1).add(r0.rearrange(FOLD_4_HIGH, r1));
      FloatVector q1 = r2.rearrange(FOLD_4_LOW, r3).add(r2.rearrange(FOLD_4_HIGH, r3));
      FloatVector q2 = r4.rearrange(FOLD_4_LOW, r5).add(r4.rearrange(FOLD_4_HIGH, r5));
      FloatVector q3 = r6.rearrange(FOLD_4_LOW, r7).add(r6.rearrange(FOLD_4_HIGH, r7));
      FloatVector o0 = q0.rearrange(FOLD_2_LOW, q1).add(q0.rearrange(FOLD_2_HIGH, q1));
      FloatVector o1 = q2.rearrange(FOLD_2_LOW, q3).add(q2.rearrange(FOLD_2_HIGH, q3));
      o0.rearrange(FOLD_1_LOW, o1).add(o0.rearrange(FOLD_1_HIGH, o1)).intoArray(lanes, 0);
      s00 = lanes[0];
      s01 = lanes[1];
      s02 = lanes[2];
      s03 = lanes[3];
      s10 = lanes[4];
      s11 = lanes[5];
      s12 = lanes[6];
      s13 = lanes[7];
      s20 = lanes[8];
      s21 = lanes[9];
      s22 = lanes[10];
      s23 = lanes[11];
      s30 = lanes[12];
      s31 = lanes[13];
      s32 = lanes[14];
      s33 = lanes[15];
    } else {
      a00.intoArray(lanes, 0 * LANES);
      s00 = sumLanes(lanes, 0 * LANES);
      a01.intoArray(lanes, 1 * LANES);
      s01 = sumLanes(lanes, 1 * LANES);
      a02.intoArray(lanes, 2 * LANES);
      s02 = sumLanes(lanes, 2 * LANES);
      a03.intoArray(lanes, 3 * LANES);
      s03 = sumLanes(lanes, 3 * LANES);
      a10.intoArray(lanes, 4 * LANES);
      s10 = sumLanes(lanes, 4 * LANES);
      a11.intoArray(lanes, 5 * LANES);
      s11 = sumLanes(lanes, 5 * LANES);
      a12.intoArray(lanes, 6 * LANES);
      s12 = sumLanes(lanes, 6 * LANES);
      a13.intoArray(lanes, 7 * LANES);
      s13 = sumLanes(lanes, 7 * LANES);
      a20.intoArray(lanes, 0 * LANES);
      s20 = sumLanes(lanes, 0 * LANES);
      a21.intoArray(lanes, 1 * LANES);
      s21 = sumLanes(lanes, 1 * LANES);
      a22.intoArray(lanes, 2 * LANES);
      s22 = sumLanes(lanes, 2 * LANES);
      a23.intoArray(lanes, 3 * LANES);
      s23 = sumLanes(lanes, 3 * LANES);
      a30.intoArray(lanes, 4 * LANES);
      s30 = sumLanes(lanes, 4 * LANES);
      a31.intoArray(lanes, 5 * LANES);
      s31 = sumLanes(lanes, 5 * LANES);
      a32.intoArray(lanes, 6 * LANES);
      s32 = sumLanes(lanes, 6 * LANES);
      a33.intoArray(lanes, 7 * LANES);
      s33 = sumLanes(lanes, 7 * LANES);
    }
    for (int i = bound; i < n; i++) {
      float v0 = x[x0 + i];
      float v1 = x[x1 + i];
      float v2 = x[x2 + i];
      float v3 = x[x3 + i];
      float q0 = get(w + i);
      s00 += q0 * v0;
      s01 += q0 * v1;
      s02 += q0 * v2;
      s03 += q0 * v3;
      float q1 = get(w1 + i);
      s10 += q1 * v0;
      s11 += q1 * v1;
      s12 += q1 * v2;
      s13 += q1 * v3;
      float q2 = get(w2 + i);
      s20 += q2 * v0;
      s21 += q2 * v1;
      s22 += q2 * v2;
      s23 += q2 * v3;
      float q3 = get(w3 + i);
      s30 += q3 * v0;
      s31 += q3 * v1;
      s32 += q3 * v2;
      s33 += q3 * v3;
    }
    y[y0] = s00 + b0;
    y[y0 + 1] = s01 + b0;
    y[y0 + 2] = s02 + b0;
    y[y0 + 3] = s03 + b0;
    y[y0 + yStride] = s10 + b1;
    y[y0 + yStride + 1] = s11 + b1;
    y[y0 + yStride + 2] = s12 + b1;
    y[y0 + yStride + 3] = s13 + b1;
    y[y0 + 2 * yStride] = s20 + b2;
    y[y0 + 2 * yStride + 1] = s21 + b2;
    y[y0 + 2 * yStride + 2] = s22 + b2;
    y[y0 + 2 * yStride + 3] = s23 + b2;
    y[y0 + 3 * yStride] = s30 + b3;
    y[y0 + 3 * yStride + 1] = s31 + b3;
    y[y0 + 3 * yStride + 2] = s32 + b3;
    y[y0 + 3 * yStride + 3] = s33 + b3;
  }

  /**
   * Two consecutive weight rows from {@code w}, each with {@code count} (2 or 4) tap rows of
   * {@code x} ({@code x0}, {@code x0 + xStride}, ...): every weight and tap loaded once feeds
   * several products. Results plus each row's bias go to {@code y[y0 + t]} and {@code y[y1 + t]}.
   */
  final void dotTwoRows(float[] lanes, int w, int n, float[] x, int x0, int xStride, int count, float[] y, int y0, int y1,
      float b0, float b1) {
    int bound = n - n % LANES;
    int w1 = w + n;
    if (count == 2) {
      FloatVector a00 = FloatVector.zero(F);
      FloatVector a01 = FloatVector.zero(F);
      FloatVector a10 = FloatVector.zero(F);
      FloatVector a11 = FloatVector.zero(F);
      int x1 = x0 + xStride;
      for (int i = 0; i < bound; i += LANES) {
        FloatVector u = FloatVector.fromArray(F, x, x0 + i);
        FloatVector v = FloatVector.fromArray(F, x, x1 + i);
        FloatVector p = load(w + i);
        FloatVector q = load(w1 + i);
        a00 = p.fma(u, a00);
        a01 = p.fma(v, a01);
        a10 = q.fma(u, a10);
        a11 = q.fma(v, a11);
      }
      float s00, s01, s10, s11;
      if (FOLD16) {
        FloatVector f1_0 = a00.rearrange(FOLD_8_LOW, a01).add(a00.rearrange(FOLD_8_HIGH, a01));
        FloatVector f1_1 = a10.rearrange(FOLD_8_LOW, a11).add(a10.rearrange(FOLD_8_HIGH, a11));
        FloatVector f2_0 = f1_0.rearrange(FOLD_4_LOW, f1_1).add(f1_0.rearrange(FOLD_4_HIGH, f1_1));
        FloatVector f3_0 = f2_0.rearrange(FOLD_2_LOW, f2_0).add(f2_0.rearrange(FOLD_2_HIGH, f2_0));
        FloatVector f4_0 = f3_0.rearrange(FOLD_1_LOW, f3_0).add(f3_0.rearrange(FOLD_1_HIGH, f3_0));
        f4_0.intoArray(lanes, 0);
        s00 = lanes[0];
        s01 = lanes[1];
        s10 = lanes[2];
        s11 = lanes[3];
      } else {
        a00.intoArray(lanes, 0);
        s00 = sumLanes(lanes, 0);
        a01.intoArray(lanes, LANES);
        s01 = sumLanes(lanes, LANES);
        a10.intoArray(lanes, 2 * LANES);
        s10 = sumLanes(lanes, 2 * LANES);
        a11.intoArray(lanes, 3 * LANES);
        s11 = sumLanes(lanes, 3 * LANES);
      }
      for (int i = bound; i < n; i++) {
        float p = get(w + i);
        float q = get(w1 + i);
        s00 += p * x[x0 + i];
        s01 += p * x[x1 + i];
        s10 += q * x[x0 + i];
        s11 += q * x[x1 + i];
      }
      y[y0] = s00 + b0;
      y[y0 + 1] = s01 + b0;
      y[y1] = s10 + b1;
      y[y1 + 1] = s11 + b1;
      return;
    }
    FloatVector a00 = FloatVector.zero(F);
    FloatVector a01 = FloatVector.zero(F);
    FloatVector a02 = FloatVector.zero(F);
    FloatVector a03 = FloatVector.zero(F);
    FloatVector a10 = FloatVector.zero(F);
    FloatVector a11 = FloatVector.zero(F);
    FloatVector a12 = FloatVector.zero(F);
    FloatVector a13 = FloatVector.zero(F);
    int x1 = x0 + xStride;
    int x2 = x1 + xStride;
    int x3 = x2 + xStride;
    for (int i = 0; i < bound; i += LANES) {
      FloatVector p = load(w + i);
      FloatVector q = load(w1 + i);
      FloatVector u = FloatVector.fromArray(F, x, x0 + i);
      a00 = p.fma(u, a00);
      a10 = q.fma(u, a10);
      u = FloatVector.fromArray(F, x, x1 + i);
      a01 = p.fma(u, a01);
      a11 = q.fma(u, a11);
      u = FloatVector.fromArray(F, x, x2 + i);
      a02 = p.fma(u, a02);
      a12 = q.fma(u, a12);
      u = FloatVector.fromArray(F, x, x3 + i);
      a03 = p.fma(u, a03);
      a13 = q.fma(u, a13);
    }
    float s0, s1, s2, s3, r0, r1, r2, r3;
    if (FOLD16) {
      FloatVector f1_0 = a00.rearrange(FOLD_8_LOW, a01).add(a00.rearrange(FOLD_8_HIGH, a01));
      FloatVector f1_1 = a02.rearrange(FOLD_8_LOW, a03).add(a02.rearrange(FOLD_8_HIGH, a03));
      FloatVector f1_2 = a10.rearrange(FOLD_8_LOW, a11).add(a10.rearrange(FOLD_8_HIGH, a11));
      FloatVector f1_3 = a12.rearrange(FOLD_8_LOW, a13).add(a12.rearrange(FOLD_8_HIGH, a13));
      FloatVector f2_0 = f1_0.rearrange(FOLD_4_LOW, f1_1).add(f1_0.rearrange(FOLD_4_HIGH, f1_1));
      FloatVector f2_1 = f1_2.rearrange(FOLD_4_LOW, f1_3).add(f1_2.rearrange(FOLD_4_HIGH, f1_3));
      FloatVector f3_0 = f2_0.rearrange(FOLD_2_LOW, f2_1).add(f2_0.rearrange(FOLD_2_HIGH, f2_1));
      FloatVector f4_0 = f3_0.rearrange(FOLD_1_LOW, f3_0).add(f3_0.rearrange(FOLD_1_HIGH, f3_0));
      f4_0.intoArray(lanes, 0);
      s0 = lanes[0];
      s1 = lanes[1];
      s2 = lanes[2];
      s3 = lanes[3];
      r0 = lanes[4];
      r1 = lanes[5];
      r2 = lanes[6];
      r3 = lanes[7];
    } else {
      a00.intoArray(lanes, 0);
      s0 = sumLanes(lanes, 0);
      a01.intoArray(lanes, LANES);
      s1 = sumLanes(lanes, LANES);
      a02.intoArray(lanes, 2 * LANES);
      s2 = sumLanes(lanes, 2 * LANES);
      a03.intoArray(lanes, 3 * LANES);
      s3 = sumLanes(lanes, 3 * LANES);
      a10.intoArray(lanes, 4 * LANES);
      r0 = sumLanes(lanes, 4 * LANES);
      a11.intoArray(lanes, 5 * LANES);
      r1 = sumLanes(lanes, 5 * LANES);
      a12.intoArray(lanes, 6 * LANES);
      r2 = sumLanes(lanes, 6 * LANES);
      a13.intoArray(lanes, 7 * LANES);
      r3 = sumLanes(lanes, 7 * LANES);
    }
    for (int i = bound; i < n; i++) {
      float p = get(w + i);
      float q = get(w1 + i);
      s0 += p * x[x0 + i];
      s1 += p * x[x1 + i];
      s2 += p * x[x2 + i];
      s3 += p * x[x3 + i];
      r0 += q * x[x0 + i];
      r1 += q * x[x1 + i];
      r2 += q * x[x2 + i];
      r3 += q * x[x3 + i];
    }
    y[y0] = s0 + b0;
    y[y0 + 1] = s1 + b0;
    y[y0 + 2] = s2 + b0;
    y[y0 + 3] = s3 + b0;
    y[y1] = r0 + b1;
    y[y1 + 1] = r1 + b1;
    y[y1 + 2] = r2 + b1;
    y[y1 + 3] = r3 + b1;
  }

  /**
   * Four weight rows ({@code w}, {@code w + n}, ...) times the {@code [n][xStride]} matrix {@code x}
   * from column {@code x0}, two vectors of outputs per row, plus each row's bias, into {@code y} at
   * {@code y0..y3}.
   */
  final void tile4x2(int w, int n, float[] x, int x0, int xStride, float[] y, int y0, int y1, int y2, int y3,
      float b0, float b1, float b2, float b3) {
    FloatVector c00 = FloatVector.broadcast(F, b0);
    FloatVector c01 = c00;
    FloatVector c10 = FloatVector.broadcast(F, b1);
    FloatVector c11 = c10;
    FloatVector c20 = FloatVector.broadcast(F, b2);
    FloatVector c21 = c20;
    FloatVector c30 = FloatVector.broadcast(F, b3);
    FloatVector c31 = c30;
    int xi = x0;
    for (int i = 0; i < n; i++, xi += xStride) {
      FloatVector u = FloatVector.fromArray(F, x, xi);
      FloatVector v = FloatVector.fromArray(F, x, xi + LANES);
      FloatVector w0 = FloatVector.broadcast(F, get(w + i));
      FloatVector w1 = FloatVector.broadcast(F, get(w + n + i));
      FloatVector w2 = FloatVector.broadcast(F, get(w + 2 * n + i));
      FloatVector w3 = FloatVector.broadcast(F, get(w + 3 * n + i));
      c00 = w0.fma(u, c00);
      c01 = w0.fma(v, c01);
      c10 = w1.fma(u, c10);
      c11 = w1.fma(v, c11);
      c20 = w2.fma(u, c20);
      c21 = w2.fma(v, c21);
      c30 = w3.fma(u, c30);
      c31 = w3.fma(v, c31);
    }
    c00.intoArray(y, y0);
    c01.intoArray(y, y0 + LANES);
    c10.intoArray(y, y1);
    c11.intoArray(y, y1 + LANES);
    c20.intoArray(y, y2);
    c21.intoArray(y, y2 + LANES);
    c30.intoArray(y, y3);
    c31.intoArray(y, y3 + LANES);
  }

  /**
   * Eight weight rows ({@code w}, {@code w + n}, ...) times the {@code [n][xStride]} matrix {@code x}
   * from column {@code x0}, two vectors of outputs per row, into {@code y}
   * from {@code y0}, rows {@code yStride} apart, plus {@code bias[r]}: sixteen accumulators, ten loads per sixteen
   * multiply-adds (the 4 x 2 tile needs six per eight).
   */
  final void tile8x2(int w, int n, float[] x, int x0, int xStride, float[] y, int y0, int yStride, float[] bias) {
    FloatVector c00 = FloatVector.broadcast(F, bias[0]);
    FloatVector c01 = c00;
    FloatVector c10 = FloatVector.broadcast(F, bias[1]);
    FloatVector c11 = c10;
    FloatVector c20 = FloatVector.broadcast(F, bias[2]);
    FloatVector c21 = c20;
    FloatVector c30 = FloatVector.broadcast(F, bias[3]);
    FloatVector c31 = c30;
    FloatVector c40 = FloatVector.broadcast(F, bias[4]);
    FloatVector c41 = c40;
    FloatVector c50 = FloatVector.broadcast(F, bias[5]);
    FloatVector c51 = c50;
    FloatVector c60 = FloatVector.broadcast(F, bias[6]);
    FloatVector c61 = c60;
    FloatVector c70 = FloatVector.broadcast(F, bias[7]);
    FloatVector c71 = c70;
    int xi = x0;
    for (int i = 0; i < n; i++, xi += xStride) {
      FloatVector u = FloatVector.fromArray(F, x, xi);
      FloatVector v = FloatVector.fromArray(F, x, xi + LANES);
      FloatVector w0 = FloatVector.broadcast(F, get(w + 0 + i));
      c00 = w0.fma(u, c00);
      c01 = w0.fma(v, c01);
      FloatVector w1 = FloatVector.broadcast(F, get(w + 1 * n + i));
      c10 = w1.fma(u, c10);
      c11 = w1.fma(v, c11);
      FloatVector w2 = FloatVector.broadcast(F, get(w + 2 * n + i));
      c20 = w2.fma(u, c20);
      c21 = w2.fma(v, c21);
      FloatVector w3 = FloatVector.broadcast(F, get(w + 3 * n + i));
      c30 = w3.fma(u, c30);
      c31 = w3.fma(v, c31);
      FloatVector w4 = FloatVector.broadcast(F, get(w + 4 * n + i));
      c40 = w4.fma(u, c40);
      c41 = w4.fma(v, c41);
      FloatVector w5 = FloatVector.broadcast(F, get(w + 5 * n + i));
      c50 = w5.fma(u, c50);
      c51 = w5.fma(v, c51);
      FloatVector w6 = FloatVector.broadcast(F, get(w + 6 * n + i));
      c60 = w6.fma(u, c60);
      c61 = w6.fma(v, c61);
      FloatVector w7 = FloatVector.broadcast(F, get(w + 7 * n + i));
      c70 = w7.fma(u, c70);
      c71 = w7.fma(v, c71);
    }
    c00.intoArray(y, y0);
    c01.intoArray(y, y0 + LANES);
    c10.intoArray(y, y0 + yStride);
    c11.intoArray(y, y0 + yStride + LANES);
    c20.intoArray(y, y0 + 2 * yStride);
    c21.intoArray(y, y0 + 2 * yStride + LANES);
    c30.intoArray(y, y0 + 3 * yStride);
    c31.intoArray(y, y0 + 3 * yStride + LANES);
    c40.intoArray(y, y0 + 4 * yStride);
    c41.intoArray(y, y0 + 4 * yStride + LANES);
    c50.intoArray(y, y0 + 5 * yStride);
    c51.intoArray(y, y0 + 5 * yStride + LANES);
    c60.intoArray(y, y0 + 6 * yStride);
    c61.intoArray(y, y0 + 6 * yStride + LANES);
    c70.intoArray(y, y0 + 7 * yStride);
    c71.intoArray(y, y0 + 7 * yStride + LANES);
  }

  /**
   * Four weight rows times one vector of columns of {@code x} from {@code x0}, plus each row's bias,
   * into {@code y} at {@code y0..y3}. Even and odd taps go to separate accumulators (eight chains in
   * flight: one vector of outputs is too few to hide the multiply-add latency with four).
   */
  final void tile4x1(int w, int n, float[] x, int x0, int xStride, float[] y, int y0, int y1, int y2, int y3,
      float b0, float b1, float b2, float b3) {
    FloatVector c0 = FloatVector.broadcast(F, b0);
    FloatVector c1 = FloatVector.broadcast(F, b1);
    FloatVector c2 = FloatVector.broadcast(F, b2);
    FloatVector c3 = FloatVector.broadcast(F, b3);
    FloatVector d0 = FloatVector.zero(F);
    FloatVector d1 = d0;
    FloatVector d2 = d0;
    FloatVector d3 = d0;
    int w1 = w + n;
    int w2 = w1 + n;
    int w3 = w2 + n;
    int xi = x0;
    int i = 0;
    for (; i + 2 <= n; i += 2, xi += 2 * xStride) {
      FloatVector u = FloatVector.fromArray(F, x, xi);
      FloatVector v = FloatVector.fromArray(F, x, xi + xStride);
      c0 = FloatVector.broadcast(F, get(w + i)).fma(u, c0);
      c1 = FloatVector.broadcast(F, get(w1 + i)).fma(u, c1);
      c2 = FloatVector.broadcast(F, get(w2 + i)).fma(u, c2);
      c3 = FloatVector.broadcast(F, get(w3 + i)).fma(u, c3);
      d0 = FloatVector.broadcast(F, get(w + i + 1)).fma(v, d0);
      d1 = FloatVector.broadcast(F, get(w1 + i + 1)).fma(v, d1);
      d2 = FloatVector.broadcast(F, get(w2 + i + 1)).fma(v, d2);
      d3 = FloatVector.broadcast(F, get(w3 + i + 1)).fma(v, d3);
    }
    if (i < n) {
      FloatVector u = FloatVector.fromArray(F, x, xi);
      c0 = FloatVector.broadcast(F, get(w + i)).fma(u, c0);
      c1 = FloatVector.broadcast(F, get(w1 + i)).fma(u, c1);
      c2 = FloatVector.broadcast(F, get(w2 + i)).fma(u, c2);
      c3 = FloatVector.broadcast(F, get(w3 + i)).fma(u, c3);
    }
    c0.add(d0).intoArray(y, y0);
    c1.add(d1).intoArray(y, y1);
    c2.add(d2).intoArray(y, y2);
    c3.add(d3).intoArray(y, y3);
  }

  /** One weight row times one vector of columns of {@code x}, plus {@code bias}, into {@code y[y0..]}. */
  final void column(int w, int n, float[] x, int x0, int xStride, float[] y, int y0, float bias) {
    FloatVector c = FloatVector.broadcast(F, bias);
    int xi = x0;
    for (int i = 0; i < n; i++, xi += xStride) {
      c = FloatVector.broadcast(F, get(w + i)).fma(FloatVector.fromArray(F, x, xi), c);
    }
    c.intoArray(y, y0);
  }

  private static final VectorSpecies<Short> S =
      VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
  private static final VectorSpecies<Integer> I = F.withLanes(int.class);

  /** bfloat16 of a float, rounded to nearest even (NaN kept a NaN). */
  static short toBFloat16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if (Float.isNaN(value)) {
      return (short) ((bits >>> 16) | 0x40);
    }
    int rounding = 0x7fff + ((bits >>> 16) & 1);
    return (short) ((bits + rounding) >>> 16);
  }

  /** {@code LANES} weights from {@code index}, as float32. */
  private FloatVector load(int index) {
    if (halves == null) {
      return FloatVector.fromArray(F, floats, index);
    }
    ShortVector s = ShortVector.fromArray(S, halves, index);
    IntVector wide = (IntVector) s.convertShape(VectorOperators.S2I, I, 0);
    return wide.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
  }

  float get(int index) {
    return halves == null ? floats[index] : Float.intBitsToFloat(halves[index] << 16);
  }

  int length() {
    return halves == null ? floats.length : halves.length;
  }
}
