package org.jrave.cli;

import java.util.Locale;
import org.jrave.data.transform.SignalOptions;
import picocli.CommandLine.Option;

/**
 * The data transforms the reference's {@code train} and {@code train_prior} share
 * ({@code --rand_pitch}, {@code --normalize}, {@code --derivative}; spec §6.4), checked as
 * {@link SignalOptions} before any work.
 */
public final class SignalTransformOptions {

  @Option(names = "--rand-pitch", paramLabel = "LO,HI",
      description = "random pitch shift of half the items by a factor in [LO, HI] (resampled before the crop), "
          + "e.g. 0.8,1.25 (default: off)")
  String randPitch;

  @Option(names = "--normalize", description = "peak-normalise every item (gain at most +30 dB)")
  boolean normalize;

  @Option(names = "--derivative", description = "train on the first difference of the signal "
      + "(validation audio is integrated back for listening)")
  boolean derivative;

  /** The options as loader settings, or a user error naming the bad value. */
  public SignalOptions signal() {
    double lo = 0;
    double hi = 0;
    if (randPitch != null) {
      String[] parts = randPitch.split(",", -1);
      if (parts.length != 2) {
        throw new UserError("--rand-pitch " + randPitch + " is not LO,HI: give two factors, e.g. --rand-pitch 0.8,1.25");
      }
      try {
        lo = Double.parseDouble(parts[0].trim());
        hi = Double.parseDouble(parts[1].trim());
      } catch (NumberFormatException e) {
        throw new UserError("--rand-pitch " + randPitch + " is not LO,HI: both must be numbers, e.g. --rand-pitch 0.8,1.25", e);
      }
      if (!(lo > 0 && lo <= hi && Double.isFinite(hi))) {
        throw new UserError(String.format(Locale.ROOT,
            "--rand-pitch %s: the factors must satisfy 0 < LO <= HI (LO < 1 lowers the pitch, HI > 1 raises it), "
                + "e.g. --rand-pitch 0.8,1.25", randPitch));
      }
    }
    try {
      return new SignalOptions(lo, hi, normalize, derivative);
    } catch (IllegalArgumentException e) {
      throw new UserError("--rand-pitch " + randPitch + ": " + e.getMessage() + "; widen the range, e.g. --rand-pitch 0.8,1.25", e);
    }
  }
}
