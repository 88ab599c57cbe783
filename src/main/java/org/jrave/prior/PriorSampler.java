package org.jrave.prior;

import java.util.Random;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;

/**
 * Unconditional generation with the prior (spec 9.4): starting from the class of 0 in every
 * dimension, each next frame's classes are drawn from {@code softmax(logits / temperature)} (the
 * most likely class at temperature 0), turned back into values with dither, and the diagonal shift
 * is undone. The network is fed one frame per step and keeps its own history
 * ({@link PriorNetwork.Stream}), so each step costs the same however long the sequence.
 */
public final class PriorSampler {
  private final PriorNetwork network;
  private final GaussianQuantizer quantizer;

  public PriorSampler(PriorNetwork network) {
    this.network = network;
    this.quantizer = new GaussianQuantizer(network.config().resolution());
  }

  /** {@code frames} latent frames {@code [L][frames]} in the PCA basis. */
  public float[][] sample(int frames, double temperature, Random random) {
    if (frames < 1) {
      throw new IllegalArgumentException("frames must be positive");
    }
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("the temperature must be a finite value >= 0, got " + temperature);
    }
    int dims = network.config().latentSize();
    int r = quantizer.resolution();
    int total = frames + dims - 1;
    int[][] classes = new int[dims][total];
    float[][] values = new float[dims][total];
    int start = quantizer.classOf(0);
    for (int d = 0; d < dims; d++) {
      classes[d][0] = start;
      values[d][0] = (float) quantizer.sample(start, random);
    }
    network.train(false);
    try (NoGrad ng = NoGrad.enter(); PriorNetwork.Stream stream = network.stream(1)) {
      int[][][] frame = new int[1][dims][1];
      for (int i = 0; i + 1 < total; i++) {
        for (int d = 0; d < dims; d++) {
          frame[0][d][0] = classes[d][i];
        }
        float[] logits;
        try (TensorScope scope = new TensorScope()) {
          logits = stream.forward(OneHot.of(frame, r).to(network.device())).contiguous().toFloatArray();
        }
        for (int d = 0; d < dims; d++) {
          int cls = draw(logits, d * r, r, temperature, random);
          classes[d][i + 1] = cls;
          values[d][i + 1] = (float) quantizer.sample(cls, random);
        }
      }
    }
    return DiagonalShift.inverse(values);
  }

  static int draw(float[] logits, int offset, int count, double temperature, Random random) {
    int best = 0;
    for (int k = 1; k < count; k++) {
      if (logits[offset + k] > logits[offset + best]) {
        best = k;
      }
    }
    if (temperature == 0) {
      return best;
    }
    double[] p = new double[count];
    double sum = 0;
    for (int k = 0; k < count; k++) {
      p[k] = Math.exp((logits[offset + k] - logits[offset + best]) / temperature);
      sum += p[k];
    }
    double u = random.nextDouble() * sum;
    for (int k = 0; k < count; k++) {
      u -= p[k];
      if (u < 0) {
        return k;
      }
    }
    return count - 1;
  }
}
