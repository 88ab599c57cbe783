package org.jrave.model.latent;

import org.jrave.engine.Draws;
import java.util.List;
import org.jrave.engine.Tensor;
import org.jrave.model.blocks.Layer;

/**
 * Latent projected onto the unit sphere (L2 norm over channels), without regulariser and never
 * frozen. The static angle maps convert a D-dimensional unit vector to D - 1 hyperspherical angles
 * scaled to [-1, 1] and back (used by exported models, whose latent channels are the angles).
 */
public final class SphericalEncoder extends LatentEncoder {
  private final int latentSize;

  public SphericalEncoder(Layer inner, int latentSize) {
    super(inner);
    this.latentSize = latentSize;
  }

  @Override
  public int latentSize() {
    return latentSize;
  }

  @Override
  protected boolean detachWhenWarmedUp() {
    return false;
  }

  @Override
  public Reparametrized reparametrize(Tensor raw, Draws draws) {
    return new Reparametrized(deterministic(raw), Tensor.zeros(raw.device()));
  }

  @Override
  public Tensor deterministic(Tensor raw) {
    return raw.div(raw.square().sum(1, true).sqrt());
  }

  /**
   * Unit vectors {@code [B, D, T]} to angles {@code [B, D - 1, T]} in [-1, 1]: {@code phi_i =
   * acos(x_i / ||x_i..x_{D-1}||)} scaled by 1/pi, the last angle covering the full circle (2 pi - phi
   * when {@code x_{D-1} < 0}, scaled by 1/(2 pi)), then mapped from [0, 1] to [-1, 1]. Vectors need
   * not be normalised: only ratios enter.
   */
  public static Tensor toAngles(Tensor x) {
    long dims = x.size(1);
    // Tail norms r_i = sqrt(sum_{j >= i} x_j^2) by a reversed running sum.
    Tensor tailNorms = x.square().flip(1).cumsum(1).flip(1).sqrt();
    Tensor phi = x.narrow(1, 0, dims - 1).div(tailNorms.narrow(1, 0, dims - 1)).clamp(-1, 1).acos();
    Tensor polar = phi.narrow(1, 0, dims - 2).div(Math.PI);
    Tensor lastPhi = phi.narrow(1, dims - 2, 1);
    Tensor fullCircle = Tensor.where(x.narrow(1, dims - 1, 1).lessThan(0), lastPhi.neg().add(2 * Math.PI), lastPhi);
    Tensor azimuth = fullCircle.div(2 * Math.PI);
    return Tensor.cat(List.of(polar, azimuth), 1).sub(0.5).mul(2);
  }

  /** Angles {@code [B, D - 1, T]} in [-1, 1] (wrapped modulo the range) to unit vectors {@code [B, D, T]}. */
  public static Tensor fromAngles(Tensor angles) {
    long n = angles.size(1);
    Tensor a = angles.div(2).add(0.5).remainder(1);
    Tensor theta = Tensor.cat(List.of(a.narrow(1, 0, n - 1).mul(Math.PI), a.narrow(1, n - 1, 1).mul(2 * Math.PI)), 1);
    // x_i = cos(theta_i) * prod_{j < i} sin(theta_j); x_{D-1} = prod_{j < D-1} sin(theta_j).
    Tensor sinProducts = theta.sin().cumprod(1);
    Tensor ones = Tensor.full(1, angles.size(0), 1, angles.size(2)).to(angles.device());
    Tensor before = Tensor.cat(List.of(ones, sinProducts.narrow(1, 0, n - 1)), 1);
    return Tensor.cat(List.of(theta.cos().mul(before), sinProducts.narrow(1, n - 1, 1)), 1);
  }
}
