package org.jrave.model.config;

import java.util.Map;

/**
 * The training recipe of a preset (spec section 5): phase-1 length, discriminator cadence, beta
 * schedule, loss weights as configured (the reference applies some of them twice; the trainer
 * reproduces that and documents it).
 */
public record TrainingConfig(
    int phase1Duration, int updateDiscriminatorEvery, boolean validSignalCrop, int numSkippedFeatures,
    double betaInitial, double betaTarget, int betaWarmupLength, double logEpsilon,
    Map<String, Double> weights, String discriminator, boolean featureMatchingRelative) {

  public TrainingConfig {
    weights = Map.copyOf(weights);
  }
}
