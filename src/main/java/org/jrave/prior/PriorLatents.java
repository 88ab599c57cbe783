package org.jrave.prior;

import java.util.List;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveModel;
import org.jrave.model.latent.VariationalEncoder;

/**
 * The prior's view of a RAVE model (spec 9.1): audio to the first {@code L} PCA dimensions of the
 * sampled VAE latent, and back (the other dimensions drawn from N(0, 1)). Only VAE models have a
 * prior.
 */
public final class PriorLatents {
  private final RaveModel model;
  private final int size;

  public PriorLatents(RaveModel model, int size) {
    if (!(model.encoder() instanceof VariationalEncoder)) {
      throw new IllegalArgumentException("the prior works on variational (VAE) models only; this model's latent is "
          + model.encoder().getClass().getSimpleName().replace("Encoder", "").toLowerCase(java.util.Locale.ROOT));
    }
    if (size < 1 || size > model.config().latentSize()) {
      throw new IllegalArgumentException("the prior's latent size must be between 1 and " + model.config().latentSize()
          + ", got " + size);
    }
    this.model = model;
    this.size = size;
  }

  public int size() {
    return size;
  }

  public RaveModel model() {
    return model;
  }

  /** {@code samples} is {@code [batch][channels][length]} flattened; returns {@code [batch][L][frames]}. */
  public float[][][] encode(float[] samples, int batch, int channels, int length) {
    try (TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      Tensor x = Tensor.fromFloats(samples, batch, channels, length).to(model.device());
      Tensor z = model.encoder().reparametrize(model.encodeRaw(x)).z();
      Tensor zp = model.projectLatent(z.narrow(1, 0, model.config().latentSize())).narrow(1, 0, size).contiguous();
      int frames = (int) zp.size(2);
      float[] flat = zp.toFloatArray();
      float[][][] out = new float[batch][size][frames];
      for (int b = 0; b < batch; b++) {
        for (int d = 0; d < size; d++) {
          System.arraycopy(flat, (b * size + d) * frames, out[b][d], 0, frames);
        }
      }
      return out;
    }
  }

  /** {@code [L][frames]} to audio {@code [channels][frames * ratio]}. */
  public float[][] decode(float[][] latent) {
    int frames = latent[0].length;
    float[] flat = new float[size * frames];
    for (int d = 0; d < size; d++) {
      System.arraycopy(latent[d], 0, flat, d * frames, frames);
    }
    try (TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      Tensor zp = Tensor.fromFloats(flat, 1, size, frames).to(model.device());
      int full = model.config().latentSize();
      if (size < full) {
        zp = Tensor.cat(List.of(zp, Tensor.randn(model.device(), 1, full - size, frames)), 1);
      }
      Tensor z = model.unprojectLatent(zp);
      int extra = model.config().latent().noiseAugmentation();
      if (extra > 0) {
        z = Tensor.cat(List.of(z, Tensor.randn(model.device(), 1, extra, frames)), 1);
      }
      Tensor y = model.decode(z);
      int channels = (int) y.size(1);
      int length = (int) y.size(2);
      float[] audio = y.contiguous().toFloatArray();
      float[][] out = new float[channels][length];
      for (int c = 0; c < channels; c++) {
        System.arraycopy(audio, c * length, out[c], 0, length);
      }
      return out;
    }
  }
}
