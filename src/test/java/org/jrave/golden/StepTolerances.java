package org.jrave.golden;

/**
 * The golden README's acceptance for a float32 replay of one training step ("Float floor and
 * suggested tolerances", about 5x the float32-vs-float64 floor the reference itself shows).
 *
 * @param gradMaxOverAbsmax per tensor, max |port - golden| over the golden tensor's max |value|
 * @param gradRelL2 per tensor, ||port - golden|| / ||golden||
 * @param gradRelL2Overall the same over all the step's gradients together
 * @param paramOutlierFraction share of parameter elements allowed beyond 1e-3 lr of the golden update
 * @param paramOutlierCount elements allowed beyond it on top of the share
 */
record StepTolerances(double gradMaxOverAbsmax, double gradRelL2, double gradRelL2Overall,
    double paramOutlierFraction, long paramOutlierCount) {

  static final StepTolerances PHASE1_GENERATOR = new StepTolerances(0.12, 0.09, 0.05, 0.025, 0);
  static final StepTolerances PHASE2_GENERATOR = new StepTolerances(0.01, 0.006, 0.004, 0.003, 0);
  static final StepTolerances PHASE2_DISCRIMINATOR = new StepTolerances(0.0055, 0.0035, 2e-4, 0, 40);

  /** Logged values and the backpropagated loss, relative. */
  static final double LOGGED_RELATIVE = 1e-6;
  /** Encoder output, latent sample and KL term, max abs over the golden tensor's absmax. */
  static final double ENCODER_FORWARD = 5e-6;
  /** Discriminator score maps, max abs over the golden tensor's absmax. */
  static final double DISCRIMINATOR_SCORES = 3e-5;
  /** A gradient that is zero in exact arithmetic (float32 rounding noise), absolute. */
  static final double ZERO_GRADIENT = 1e-7;

  long allowedParamOutliers(long elements) {
    return (long) Math.floor(paramOutlierFraction * elements) + paramOutlierCount;
  }
}
