package org.jrave.model.latent;

import org.jrave.engine.Draws;
import org.jrave.engine.Tensor;
import org.jrave.model.blocks.Layer;

/**
 * Gaussian posterior: the raw output is {@code [mean | scale]}, {@code std = softplus(scale) +
 * 1e-4}, the latent is {@code mean + std * eps}, and the regulariser is the KL divergence to
 * N(0, I) summed over channels and averaged over batch and time, without the usual 1/2 factor.
 */
public final class VariationalEncoder extends LatentEncoder {
  private final int latentSize;
  private final double beta;

  public VariationalEncoder(Layer inner, int latentSize, double beta) {
    super(inner);
    this.latentSize = latentSize;
    this.beta = beta;
  }

  @Override
  public int latentSize() {
    return latentSize;
  }

  public Tensor mean(Tensor raw) {
    return raw.narrow(1, 0, raw.size(1) / 2);
  }

  public Tensor std(Tensor raw) {
    long half = raw.size(1) / 2;
    return raw.narrow(1, half, half).softplus().add(1e-4);
  }

  @Override
  public Tensor deterministic(Tensor raw) {
    return mean(raw);
  }

  @Override
  public Reparametrized reparametrize(Tensor raw, Draws draws) {
    return reparametrize(raw, draws.normal(raw.device(), mean(raw).shape()));
  }

  /** Reparametrisation with given standard-normal draws {@code eps}. */
  public Reparametrized reparametrize(Tensor raw, Tensor eps) {
    Tensor mean = mean(raw);
    Tensor std = std(raw);
    Tensor z = eps.mul(std).add(mean);
    Tensor var = std.square();
    Tensor kl = mean.square().add(var).sub(var.log()).sub(1).sum(1, false).mean();
    return new Reparametrized(z, kl.mul(beta));
  }
}
