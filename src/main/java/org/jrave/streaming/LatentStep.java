package org.jrave.streaming;

import java.util.function.UnaryOperator;
import org.jrave.engine.NativeRandom;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.latent.LatentEncoder;
import org.jrave.model.latent.VariationalEncoder;

/**
 * What happens to one block's latent frames between the streamed encoder and decoder: the latent
 * step of the model's encoder (posterior mean or a sample) and the live edit. For the common case,
 * a variational model edited by a {@link LatentControl} or an {@link ArrayLatentEdit}, it runs on
 * the block's arrays and allocates nothing (its draws come from torch's generator, as the model's
 * own tensor code takes them); any other encoder or edit goes through the model's tensor code.
 */
final class LatentStep implements AutoCloseable {
  private final LatentEncoder encoder;
  private final NativeRandom random;
  private final float[] eps;

  /** @param values latent values per block (dimensions times frames) */
  LatentStep(LatentEncoder encoder, int values) {
    this.encoder = encoder;
    this.random = new NativeRandom(values);
    this.eps = new float[values];
  }

  @Override
  public void close() {
    random.close();
  }

  /**
   * The latent of one block: the encoder's raw output rows {@code raw} to latent rows {@code z}
   * (overwritten), the posterior mean when {@code deterministic}, else a sample.
   */
  void sample(float[][] raw, float[][] z, boolean deterministic) {
    if (encoder instanceof VariationalEncoder && raw.length == 2 * z.length) {
      variational(raw, z, deterministic);
      return;
    }
    try (TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      Tensor r = rows(raw);
      write(deterministic ? encoder.deterministic(r) : encoder.reparametrize(r).z(), z);
    }
  }

  /**
   * Applies a live edit to latent rows in place: {@code edit} in its array form when it has one,
   * else through tensors; {@code control} when {@code edit} is null.
   */
  static void edit(float[][] z, LatentControl control, UnaryOperator<Tensor> edit) {
    if (edit == null) {
      control.applyInPlace(z);
    } else if (edit instanceof ArrayLatentEdit arrays) {
      arrays.applyInPlace(z);
    } else {
      try (TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
        write(edit.apply(rows(z)), z);
      }
    }
  }

  /** {@code mean + (softplus(scale) + 1e-4) * eps}, or the mean. */
  private void variational(float[][] raw, float[][] z, boolean deterministic) {
    int half = z.length;
    if (!deterministic) {
      random.gaussian(eps);
    }
    for (int d = 0; d < half; d++) {
      float[] mean = raw[d];
      float[] scale = raw[d + half];
      float[] out = z[d];
      for (int f = 0; f < out.length; f++) {
        if (deterministic) {
          out[f] = mean[f];
        } else {
          double s = scale[f];
          // softplus as torch computes it (linear above 20)
          double std = (s > 20 ? s : StrictMath.log1p(StrictMath.exp(s))) + 1e-4;
          out[f] = (float) (mean[f] + std * eps[d * out.length + f]);
        }
      }
    }
  }

  static Tensor rows(float[][] rows) {
    int n = rows[0].length;
    float[] flat = new float[rows.length * n];
    for (int c = 0; c < rows.length; c++) {
      System.arraycopy(rows[c], 0, flat, c * n, n);
    }
    return Tensor.fromFloats(flat, 1, rows.length, n);
  }

  static void write(Tensor t, float[][] rows) {
    if (t.size(1) != rows.length || t.size(2) != rows[0].length) {
      throw new IllegalArgumentException("the latent step gave " + java.util.Arrays.toString(t.shape())
          + " where the decoder takes [1, " + rows.length + ", " + rows[0].length + "]");
    }
    float[] flat = t.toFloatArray();
    int n = rows[0].length;
    for (int c = 0; c < rows.length; c++) {
      System.arraycopy(flat, c * n, rows[c], 0, n);
    }
  }
}
