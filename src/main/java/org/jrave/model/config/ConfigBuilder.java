package org.jrave.model.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jrave.model.blocks.Activation;
import org.jrave.model.blocks.PaddingMode;

/**
 * A mutable working copy of a configuration while presets and overrides are applied, in the manner
 * of gin macros: shared values such as {@code capacity} or {@code ratios} are resolved only when
 * {@link #build()} makes the immutable {@link RaveConfig}.
 */
public final class ConfigBuilder {

  /** The generation of encoder/decoder blocks a preset uses. */
  enum Architecture { V1, V2 }

  String name = "";
  Architecture architecture = Architecture.V2;
  int sampleRate = 44100;
  int channels = 1;
  int bands = 16;
  double pqmfAttenuation = 100;
  PaddingMode padding = PaddingMode.CENTERED;
  int capacity = 96;
  List<Integer> ratios = List.of(4, 4, 4, 2);
  List<List<Integer>> dilations = List.of(List.of(1, 3, 9), List.of(1, 3, 9), List.of(1, 3, 9), List.of(1, 3));
  int kernel = 3;
  int latentSize = 128;
  Activation activation = Activation.LEAKY_RELU;
  boolean adain = false;
  boolean amplitudeModulation = true;
  NoiseV2Config noise = null;
  // v1 decoder: loudness stride, residual stacks and noise generator (null: use_noise False).
  int loudStride = 1;
  List<Integer> residualKernels = List.of(3);
  List<List<Integer>> residualDilations = List.of(List.of(1, 1), List.of(3, 1), List.of(5, 1));
  NoiseV1Config v1Noise = new NoiseV1Config(List.of(4, 4, 4), 5);
  LatentConfig latent = new LatentConfig.Variational(1.0);
  // Training recipe (spec 5.1 table).
  int phase1Duration = 1_000_000;
  int updateDiscriminatorEvery = 4;
  boolean validSignalCrop = true;
  int numSkippedFeatures = 1;
  double betaInitial = 1e-6;
  double betaTarget = 5e-2;
  int betaWarmupLength = 20_000;
  double logEpsilon = 1e-7;
  Map<String, Double> weights = new HashMap<>(Map.of("feature_matching", 20.0));
  String discriminator = "mpd+msd";
  boolean featureMatchingRelative = true;

  ConfigBuilder() {}

  public ConfigBuilder sampleRate(int sr) {
    this.sampleRate = sr;
    return this;
  }

  public ConfigBuilder channels(int n) {
    this.channels = n;
    return this;
  }

  public ConfigBuilder capacity(int c) {
    this.capacity = c;
    return this;
  }

  public ConfigBuilder latentSize(int z) {
    this.latentSize = z;
    return this;
  }

  public ConfigBuilder phase1Duration(int steps) {
    this.phase1Duration = steps;
    return this;
  }

  public RaveConfig build() {
    int nOut = latent instanceof LatentConfig.Variational ? 2 : 1;
    int dataSize = bands * channels;
    int decoderInput = latentSize + latent.noiseAugmentation();
    EncoderConfig encoder = switch (architecture) {
      case V1 -> new EncoderV1Config(dataSize, capacity, ratios, latentSize, nOut, false, 1);
      case V2 -> new EncoderV2Config(
          dataSize, capacity, ratios, latentSize, nOut, kernel, dilations, false, activation, adain);
    };
    DecoderConfig decoder = switch (architecture) {
      case V1 -> new GeneratorV1Config(
          decoderInput, capacity, ratios, dataSize, loudStride, residualKernels, residualDilations, v1Noise);
      case V2 -> new GeneratorV2Config(
          capacity, ratios, decoderInput, kernel, dilations, false, dataSize, amplitudeModulation, noise,
          activation, adain);
    };
    TrainingConfig training = new TrainingConfig(
        phase1Duration, updateDiscriminatorEvery, validSignalCrop, numSkippedFeatures, betaInitial,
        betaTarget, betaWarmupLength, logEpsilon, weights, discriminator, featureMatchingRelative);
    return new RaveConfig(name, sampleRate, channels, bands, pqmfAttenuation, padding, latentSize,
        encoder, latent, decoder, training);
  }
}
