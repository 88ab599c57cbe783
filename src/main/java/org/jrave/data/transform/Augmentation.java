package org.jrave.data.transform;

/** The selectable augmentations, each with the reference's parameters. */
public enum Augmentation {
  /** Uniform noise of one 16-bit step (always on in the reference). */
  DEQUANTIZE,
  /** Random all-pass phase mangling, p = 0.8 (always on in the reference). */
  PHASE_MANGLE,
  /** Random gain in [−6, +3] dB, p = 0.5, limited to peak 1 ({@code --augment gain}). */
  GAIN,
  /** Silence the item with p = 0.1 ({@code --augment mute}). */
  MUTE,
  /** Random SoX-style compand, p = 0.8 ({@code --augment compress}). */
  COMPRESS;

  Transform create(int sampleRate) {
    return switch (this) {
      case DEQUANTIZE -> new Dequantize(16);
      case PHASE_MANGLE -> PhaseMangle.reference(sampleRate);
      case GAIN -> RandomGain.reference();
      case MUTE -> new RandomMute(0.1);
      case COMPRESS -> RandomCompress.reference(44100); // the reference binds sr 44100 here whatever the data
    };
  }
}
