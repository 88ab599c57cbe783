package org.jrave.model.config;

import java.util.List;

/**
 * The agreements between parts of a configuration that presets keep by construction but single gin
 * bindings can break (e.g. {@code blocks.EncoderV2.data_size} without {@code N_BAND}): a model
 * built from a configuration that breaks one fails in its first convolution, so it is refused first.
 */
final class ConfigConsistency {
  private ConfigConsistency() {}

  /** @throws IllegalArgumentException naming the disagreement and the macro that sets both sides */
  static void check(RaveConfig c) {
    int frameValues = c.bands() * c.channels();
    if (inputChannels(c.encoder()) != frameValues || outputChannels(c.decoder()) != frameValues) {
      throw new IllegalArgumentException("the encoder reads " + inputChannels(c.encoder()) + " and the decoder writes "
          + outputChannels(c.decoder()) + " values per frame, but " + c.bands() + " bands x " + c.channels()
          + " channel(s) make " + frameValues + ": set N_BAND (and --channels) rather than data_size");
    }
    int nOut = nOut(c.encoder());
    int expected = c.latent() instanceof LatentConfig.Variational ? 2 : 1;
    if (nOut != expected) {
      throw new IllegalArgumentException("the encoder's n_out is " + nOut + " but the "
          + c.latent().getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " latent needs " + expected
          + (expected == 2 ? " (mean and scale)" : ""));
    }
    List<Integer> encoderRatios = ratios(c.encoder());
    List<Integer> decoderRatios = ratios(c.decoder());
    if (c.encoder().hopLength() != decoderRatios.stream().reduce(1, (a, b) -> a * b)) {
      throw new IllegalArgumentException("the encoder's ratios " + encoderRatios + " and the decoder's " + decoderRatios
          + " compress by different factors: set RATIOS for both");
    }
  }

  private static int inputChannels(EncoderConfig e) {
    return switch (e) {
      case EncoderV1Config v1 -> v1.inputChannels();
      case EncoderV2Config v2 -> v2.inputChannels();
    };
  }

  private static int nOut(EncoderConfig e) {
    return switch (e) {
      case EncoderV1Config v1 -> v1.nOut();
      case EncoderV2Config v2 -> v2.nOut();
    };
  }

  private static List<Integer> ratios(EncoderConfig e) {
    return switch (e) {
      case EncoderV1Config v1 -> v1.ratios();
      case EncoderV2Config v2 -> v2.ratios();
    };
  }

  private static int outputChannels(DecoderConfig d) {
    return switch (d) {
      case GeneratorV1Config v1 -> v1.outputChannels();
      case GeneratorV2Config v2 -> v2.outputChannels();
    };
  }

  private static List<Integer> ratios(DecoderConfig d) {
    return switch (d) {
      case GeneratorV1Config v1 -> v1.ratios();
      case GeneratorV2Config v2 -> v2.ratios();
    };
  }
}
