package org.jrave.train;

import org.jrave.model.config.TrainingConfig;

/**
 * When things happen during training (spec 5.1-5.2), as pure functions of the global step so that
 * a resumed run recomputes them exactly: the phase switch, the generator's learning rate
 * ({@code LinearLR} from 1 to 0.1 over phase 1, stepped after every batch), the beta factor and the
 * discriminator cadence.
 *
 * @param phase1Duration steps of phase 1; phase 2 (adversarial, encoder frozen) starts at this step
 * @param updateDiscriminatorEvery in phase 2, batches whose index in the epoch is a multiple of this
 *     update the discriminator, the others the generator
 */
public record Schedule(long phase1Duration, int updateDiscriminatorEvery, BetaSchedule beta,
    double generatorRate, double discriminatorRate) {

  /** The reference's rates: Adam 1e-3 (generator) and 1e-4 (discriminator). */
  public static final double GENERATOR_RATE = 1e-3;
  public static final double DISCRIMINATOR_RATE = 1e-4;

  public static Schedule of(TrainingConfig t, long phase1Duration) {
    return new Schedule(phase1Duration, t.updateDiscriminatorEvery(),
        new BetaSchedule(t.betaInitial(), t.betaTarget(), t.betaWarmupLength()), GENERATOR_RATE, DISCRIMINATOR_RATE);
  }

  /** Whether {@code step} (0-based) is in phase 2. */
  public boolean warmedUp(long step) {
    return step >= phase1Duration;
  }

  /** Whether the batch at {@code step}, {@code batchInEpoch}-th of its epoch, updates the discriminator. */
  public boolean updatesDiscriminator(long step, long batchInEpoch) {
    return warmedUp(step) && batchInEpoch % updateDiscriminatorEvery == 0;
  }

  /** The generator's learning rate at {@code step}: {@code lr (1 - 0.9 min(step, P1) / P1)}. */
  public double generatorRate(long step) {
    if (phase1Duration <= 0) {
      return generatorRate * 0.1;
    }
    return generatorRate * (1 - 0.9 * Math.min(step, phase1Duration) / (double) phase1Duration);
  }

  public double beta(long step) {
    return beta.beta(step);
  }
}
