package org.jrave.model.config;

/** The encoder architecture of a RAVE model. */
public sealed interface EncoderConfig permits EncoderV1Config, EncoderV2Config {
  /** Total downsampling of the encoder (product of its ratios). */
  int hopLength();
}
