package org.jrave.data.transform;

/**
 * The optional per-item signal transforms of spec §6.4 ({@code train --rand-pitch},
 * {@code --normalize}, {@code --derivative}); all off by default, as in the reference.
 *
 * @param pitchLow lowest random pitch factor, 0 when random pitch is off
 * @param pitchHigh highest random pitch factor, 0 when random pitch is off
 */
public record SignalOptions(double pitchLow, double pitchHigh, boolean normalize, boolean derivative) {
  public static final SignalOptions NONE = new SignalOptions(0, 0, false, false);

  public SignalOptions {
    if (pitchLow != 0 || pitchHigh != 0) {
      // Throws for a range no ratio fits: the message says why.
      new RandomPitch(pitchLow, pitchHigh, 1, 0.5);
    }
  }

  public boolean randomPitch() {
    return pitchLow != 0 || pitchHigh != 0;
  }
}
