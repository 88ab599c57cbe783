package org.jrave.model.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** The encoder architecture of a RAVE model. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = EncoderV1Config.class, name = "EncoderV1"),
  @JsonSubTypes.Type(value = EncoderV2Config.class, name = "EncoderV2")
})
public sealed interface EncoderConfig permits EncoderV1Config, EncoderV2Config {
  /** Total downsampling of the encoder (product of its ratios). */
  int hopLength();

  /** Input channels: bands times audio channels. */
  int inputChannels();

  /** Base width (the CAPACITY macro, which the discriminators share). */
  int capacity();

  /** Downsampling ratio of each stage. */
  java.util.List<Integer> ratios();

  int latentSize();

  /** Output channels per latent dimension (2 for a VAE's mean and scale). */
  int nOut();
}
