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
}
