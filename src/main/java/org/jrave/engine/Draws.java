package org.jrave.engine;

/**
 * Where a computation gets its random draws. A training step consumes draws (the
 * reparametrisation's normal noise, the decoder's uniform noise, a noise augmentation) through one
 * of these, so a caller can decide where they come from: torch's global generator
 * ({@link #GLOBAL}), a generator per batch item (data-parallel training, where every rank must
 * draw the slice of the global batch a single process would) or recorded values (replaying a
 * reference step).
 *
 * <p>Every shape asked for has the batch as its first dimension.
 */
public interface Draws {

  /** Standard normal draws of {@code shape} ({@code shape[0]} is the batch). */
  Tensor normal(Device device, long... shape);

  /** Uniform draws in [0, 1) of {@code shape} ({@code shape[0]} is the batch). */
  Tensor uniform(Device device, long... shape);

  /** Torch's global generator, seeded by {@link Engine#manualSeed}. */
  Draws GLOBAL = new Draws() {
    @Override
    public Tensor normal(Device device, long... shape) {
      return Tensor.randn(device, shape);
    }

    @Override
    public Tensor uniform(Device device, long... shape) {
      return Tensor.rand(device, shape);
    }
  };
}
