package org.jrave.model.config;

import org.jrave.model.blocks.PaddingMode;

/**
 * Everything that defines a RAVE model's architecture and its training recipe. Immutable; built
 * from named presets ({@link Presets}) or from a reference run's {@code config.gin}.
 *
 * @param name preset description, e.g. "v2+causal"
 * @param bands PQMF bands (1 = no filter bank)
 * @param latentSize latent dimensions the encoder produces (before noise augmentation)
 */
public record RaveConfig(
    String name, int sampleRate, int channels, int bands, double pqmfAttenuation, PaddingMode padding,
    int latentSize, EncoderConfig encoder, LatentConfig latent, DecoderConfig decoder, TrainingConfig training) {

  /** Audio samples per latent frame. */
  public int ratio() {
    return bands * encoder.hopLength();
  }
}
