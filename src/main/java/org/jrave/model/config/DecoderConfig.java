package org.jrave.model.config;

/** The decoder architecture of a RAVE model. */
public sealed interface DecoderConfig permits GeneratorV1Config, GeneratorV2Config {}
