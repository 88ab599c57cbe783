package org.jrave.train;

/**
 * The regularisation weight over training ({@code BetaWarmupCallback}, spec 5.3): at batch
 * {@code n = step + 1}, {@code target} once {@code n >= warmup}, otherwise a log-linear
 * interpolation {@code exp((1 - n/warmup) ln(initial) + (n/warmup) ln(target))}.
 */
public record BetaSchedule(double initial, double target, int warmup) {

  public double beta(long step) {
    long n = step + 1;
    if (n >= warmup) {
      return target;
    }
    double rho = (double) n / warmup;
    return Math.exp((1 - rho) * Math.log(initial) + rho * Math.log(target));
  }
}
