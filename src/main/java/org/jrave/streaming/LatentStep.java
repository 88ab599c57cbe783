package org.jrave.streaming;

import org.jrave.engine.NativeRandom;
import java.util.function.UnaryOperator;
import org.jrave.engine.Tensor;
import org.jrave.model.latent.LatentEncoder;
import org.jrave.model.latent.VariationalEncoder;

/**
 * What happens to one block's latent frames between the streamed encoder and decoder: the latent
 * step of the model's encoder (posterior mean or a sample) and the live edit. For the common case,
 * a variational model edited by a {@link LatentControl}, it runs on the block's arrays and allocates
 * nothing (its draws come from torch's generator, as the model's own tensor code takes them); any
 * other encoder or edit goes through the model's own tensor code.
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
   * @param raw the encoder's output rows for the block
   * @param z the decoder's input rows, overwritten
   * @param control the live control, or null when {@code edit} replaces it
   * @param edit an edit on tensors (used when {@code control} is null)
   */
  void apply(float[][] raw, float[][] z, boolean deterministic, LatentControl control, UnaryOperator<Tensor> edit) {
    if (control != null && worksOnArrays(raw, z)) {
      variational(raw, z, deterministic);
      control.applyInPlace(z);
      return;
    }
    Tensor r = rows(raw);
    Tensor latent = deterministic ? encoder.deterministic(r) : encoder.reparametrize(r).z();
    Tensor edited = control != null ? control.apply(latent) : edit.apply(latent);
    write(edited, z);
  }

  /** Whether this model's latent step runs on arrays (a variational encoder). */
  boolean worksOnArrays(float[][] raw, float[][] z) {
    return encoder instanceof VariationalEncoder && raw.length == 2 * z.length;
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
          double std = (s > 20 ? s : Math.log1p(Math.exp(s))) + 1e-4;
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
