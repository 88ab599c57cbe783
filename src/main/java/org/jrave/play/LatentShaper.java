package org.jrave.play;

import java.util.List;
import java.util.function.UnaryOperator;
import org.jrave.engine.Tensor;
import org.jrave.model.RaveModel;
import org.jrave.streaming.ArrayLatentEdit;
import org.jrave.streaming.LatentControl;

/**
 * Latent manipulation in the model's PCA basis (spec 8.2), the basis in which exported models show
 * their latent: dimension 0 is the most important one. Per frame: {@code zp = latent_pca (z - mean)};
 * bias and scale per dimension ({@link #control()}, live-adjustable from any thread); dimensions
 * from {@code keep} on are replaced by {@code temperature * N(0, 1)}, as an exported model does
 * with the dimensions it truncates; then back to the encoder's basis. Channels beyond the model's
 * latent size (noise augmentation) pass through.
 */
public final class LatentShaper implements ArrayLatentEdit {

  private final RaveModel model;
  private final LatentControl control;
  private final int size;
  private final int keep;
  private final float temperature;
  /** {@code latent_pca} row-major and {@code latent_mean}, for the array form. */
  private final float[] pca;
  private final float[] mean;
  private final float[] projected;
  private final java.util.SplittableRandom random = new java.util.SplittableRandom();

  /**
   * @param keep PCA dimensions taken from the encoder (the rest are noise); the full latent size
   *     keeps them all
   * @param temperature standard deviation of the noise in the truncated dimensions
   */
  public LatentShaper(RaveModel model, int keep, float temperature) {
    this.model = model;
    this.size = model.config().latentSize();
    if (keep < 1 || keep > size) {
      throw new IllegalArgumentException("the latent size must be between 1 and " + size + " (the model's), got " + keep);
    }
    if (!(temperature >= 0) || Float.isInfinite(temperature)) {
      throw new IllegalArgumentException("the temperature must be a finite value >= 0, got " + temperature);
    }
    this.keep = keep;
    this.temperature = temperature;
    this.control = new LatentControl(size);
    this.pca = model.latentPca().toFloatArray();
    this.mean = model.latentMean().toFloatArray();
    this.projected = new float[size];
  }

  /** Every dimension from the encoder, no noise. */
  public static LatentShaper identity(RaveModel model) {
    return new LatentShaper(model, model.config().latentSize(), 1f);
  }

  /** Bias and scale per PCA dimension, changeable while audio runs. */
  public LatentControl control() {
    return control;
  }

  public int keptDimensions() {
    return keep;
  }

  public int dimensions() {
    return size;
  }

  @Override
  public Tensor apply(Tensor z) {
    if (keep == size && isIdentity()) {
      return z;
    }
    long extra = z.size(1) - size;
    Tensor latent = extra > 0 ? z.narrow(1, 0, size) : z;
    Tensor zp = control.apply(model.projectLatent(latent));
    if (keep < size) {
      Tensor noise = Tensor.randn(zp.device(), zp.size(0), size - keep, zp.size(2)).mul(temperature);
      zp = Tensor.cat(List.of(zp.narrow(1, 0, keep), noise), 1);
    }
    Tensor back = model.unprojectLatent(zp);
    return extra > 0 ? Tensor.cat(List.of(back, z.narrow(1, size, extra)), 1) : back;
  }

  /**
   * The same edit on a block's rows, frame by frame: project, bias and scale (and replace the
   * truncated dimensions by noise), project back. Allocates nothing. The weights are those of the
   * model when this shaper was made.
   */
  @Override
  public void applyInPlace(float[][] z) {
    if (keep == size && isIdentity()) {
      return;
    }
    int frames = z[0].length;
    for (int f = 0; f < frames; f++) {
      for (int i = 0; i < size; i++) {
        double sum = 0;
        for (int j = 0; j < size; j++) {
          sum += pca[i * size + j] * (z[j][f] - mean[j]);
        }
        projected[i] = i < keep ? (float) sum * control.scale(i) + control.bias(i)
            : (float) (temperature * random.nextGaussian());
      }
      for (int j = 0; j < size; j++) {
        double sum = mean[j];
        for (int i = 0; i < size; i++) {
          sum += pca[i * size + j] * projected[i];
        }
        z[j][f] = (float) sum;
      }
    }
  }

  private boolean isIdentity() {
    for (int d = 0; d < size; d++) {
      if (control.bias(d) != 0f || control.scale(d) != 1f) {
        return false;
      }
    }
    return true;
  }
}
