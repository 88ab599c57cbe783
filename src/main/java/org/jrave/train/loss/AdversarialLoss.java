package org.jrave.train.loss;

import java.util.List;
import org.jrave.engine.Tensor;

/**
 * GAN objectives on logit maps (spec 4.7). Each returns the discriminator's and the generator's
 * loss for one scale; the trainer sums them over scales, as the reference does.
 */
public enum AdversarialLoss {
  /** {@code L_dis = mean(relu(1 - r) + relu(1 + f))}, {@code L_gen = -mean(f)} (every preset). */
  HINGE {
    @Override
    public Losses of(Tensor real, Tensor fake) {
      Tensor dis = real.neg().add(1).relu().add(fake.add(1).relu()).mean();
      return new Losses(dis, fake.mean().neg());
    }
  },
  /** {@code L_dis = mean((r - 1)^2 + f^2)}, {@code L_gen = mean((f - 1)^2)}. */
  LEAST_SQUARES {
    @Override
    public Losses of(Tensor real, Tensor fake) {
      Tensor dis = real.sub(1).square().add(fake.square()).mean();
      return new Losses(dis, fake.sub(1).square().mean());
    }
  };

  /** Discriminator and generator losses of one scale. */
  public record Losses(Tensor discriminator, Tensor generator) {}

  public abstract Losses of(Tensor real, Tensor fake);

  /** Sums over scales; each scale's logits are the last feature map of its list. */
  public Losses overScales(List<List<Tensor>> real, List<List<Tensor>> fake) {
    Tensor dis = null;
    Tensor gen = null;
    for (int s = 0; s < real.size(); s++) {
      Losses l = ofScale(real.get(s), fake.get(s), BatchMean.LOCAL);
      dis = dis == null ? l.discriminator() : dis.add(l.discriminator());
      gen = gen == null ? l.generator() : gen.add(l.generator());
    }
    return new Losses(dis, gen);
  }

  /** The losses of one scale (its logits are the last map), as batch means by {@code means}. */
  public Losses ofScale(List<Tensor> real, List<Tensor> fake, BatchMean means) {
    Losses local = of(real.getLast(), fake.getLast());
    // Both losses are plain means over the items, so their batch means are exact.
    return new Losses(means.of(local.discriminator()), means.of(local.generator()));
  }
}
