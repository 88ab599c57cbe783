package org.jrave.model.latent;

import org.jrave.engine.Draws;
import org.jrave.engine.Tensor;
import org.jrave.model.blocks.Layer;

/**
 * Deterministic latent pulled towards N(0, I) by a maximum mean discrepancy (MMD) penalty against
 * fresh normal draws (a Wasserstein auto-encoder), with noise-augmentation channels appended for the
 * decoder. The encoder is frozen (output detached) once warmed up.
 */
public final class WassersteinEncoder extends LatentEncoder {
  private final int latentSize;
  private final NoiseAugmentation noise;

  public WassersteinEncoder(Layer inner, int latentSize, int noiseAugmentation) {
    super(inner);
    this.latentSize = latentSize;
    this.noise = new NoiseAugmentation(noiseAugmentation);
  }

  @Override
  public int latentSize() {
    return latentSize;
  }

  @Override
  public Reparametrized reparametrize(Tensor raw, Draws draws) {
    Tensor vectors = frames(raw);
    // Drawn as [B, T, Z] so the draws of an item stay its own (data-parallel training), then laid
    // out as the [B * T, Z] frame vectors.
    Tensor prior = draws.normal(raw.device(), raw.size(0), raw.size(2), raw.size(1)).reshape(vectors.shape());
    Tensor mmd = mmd(vectors, prior);
    return new Reparametrized(noise.append(raw, draws), mmd);
  }

  /** The latent itself, with silent (zero) augmentation channels. */
  @Override
  public Tensor deterministic(Tensor raw) {
    return noise.appendSilent(raw);
  }

  /** {@code [B, Z, T] -> [B * T, Z]}: one vector per latent frame. */
  static Tensor frames(Tensor z) {
    return z.permute(0, 2, 1).reshape(z.size(0) * z.size(2), z.size(1));
  }

  /**
   * Biased MMD estimate between two sets of d-dimensional vectors ({@code [N, d]}, {@code [M, d]})
   * with the Gaussian kernel {@code k(a, b) = exp(-||a - b||^2 / d^2)} (the reference's mean over
   * features divided once more by d): {@code mean k(X, X) + mean k(Y, Y) - 2 mean k(X, Y)}, all
   * pairs including the diagonal.
   */
  public static Tensor mmd(Tensor x, Tensor y) {
    double d = x.size(1);
    return kernelMean(x, x, d).add(kernelMean(y, y, d)).sub(kernelMean(x, y, d).mul(2));
  }

  private static Tensor kernelMean(Tensor a, Tensor b, double d) {
    // ||a - b||^2 = ||a||^2 + ||b||^2 - 2 a.b keeps memory at N x M instead of N x M x d.
    Tensor squaredDistances = a.square().sum(1, true)
        .add(b.square().sum(1, true).transpose(0, 1))
        .sub(a.matmul(b.transpose(0, 1)).mul(2))
        .clampMin(0);
    return squaredDistances.div(-d * d).exp().mean();
  }
}
