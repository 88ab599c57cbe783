package org.jrave.model.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** The decoder architecture of a RAVE model. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = GeneratorV1Config.class, name = "GeneratorV1"),
  @JsonSubTypes.Type(value = GeneratorV2Config.class, name = "GeneratorV2")
})
public sealed interface DecoderConfig permits GeneratorV1Config, GeneratorV2Config {}
