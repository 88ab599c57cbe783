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

  /** The keys {@link #override} accepts, with what each sets. */
  public static final Map<String, String> OVERRIDE_KEYS = overrideKeys();

  private static Map<String, String> overrideKeys() {
    Map<String, String> keys = new java.util.LinkedHashMap<>();
    keys.put("capacity", "base width of encoder, decoder and discriminators (int)");
    keys.put("latent_size", "latent dimensions (int)");
    keys.put("ratios", "encoder/decoder strides, comma-separated (e.g. 4,4,4,2)");
    keys.put("n_band", "PQMF bands (power of two)");
    keys.put("sampling_rate", "model sample rate in Hz");
    keys.put("channels", "audio channels");
    keys.put("kernel_size", "residual kernel size (v2 family)");
    keys.put("phase_1_duration", "steps before the adversarial phase");
    keys.put("update_discriminator_every", "discriminator cadence in phase 2");
    keys.put("valid_signal_crop", "crop the multiband loss by the receptive field (true/false)");
    keys.put("num_skipped_features", "feature maps skipped by feature matching");
    keys.put("beta_initial", "regularisation weight at step 0");
    keys.put("beta_target", "regularisation weight after the warm-up");
    keys.put("beta_warmup", "warm-up length in steps");
    keys.put("log_epsilon", "epsilon of the log-magnitude distance");
    keys.put("discriminator", "msd, mpd, spectral1d, descript, joined by +");
    keys.put("weights.NAME", "loss weight (audio_distance, multiband_audio_distance, feature_matching, adversarial, ...)");
    return java.util.Collections.unmodifiableMap(keys);
  }

  /**
   * Applies one {@code key=value} override (the {@code --override} option), like a gin binding
   * parsed after the presets.
   *
   * @throws IllegalArgumentException for an unknown key or a malformed value, naming the known keys
   */
  public ConfigBuilder override(String key, String value) {
    String v = value.trim();
    try {
      if (key.startsWith("weights.")) {
        weights.put(key.substring("weights.".length()), Double.parseDouble(v));
        return this;
      }
      switch (key) {
        case "capacity" -> capacity = Integer.parseInt(v);
        case "latent_size" -> latentSize = Integer.parseInt(v);
        case "ratios" -> ratios = java.util.Arrays.stream(v.replaceAll("[\\[\\]\\s]", "").split(","))
            .map(Integer::parseInt).toList();
        case "n_band" -> bands = Integer.parseInt(v);
        case "sampling_rate" -> sampleRate = Integer.parseInt(v);
        case "channels" -> channels = Integer.parseInt(v);
        case "kernel_size" -> kernel = Integer.parseInt(v);
        case "phase_1_duration" -> phase1Duration = Integer.parseInt(v);
        case "update_discriminator_every" -> updateDiscriminatorEvery = Integer.parseInt(v);
        case "valid_signal_crop" -> validSignalCrop = parseBoolean(v);
        case "num_skipped_features" -> numSkippedFeatures = Integer.parseInt(v);
        case "beta_initial" -> betaInitial = Double.parseDouble(v);
        case "beta_target" -> betaTarget = Double.parseDouble(v);
        case "beta_warmup" -> betaWarmupLength = Integer.parseInt(v);
        case "log_epsilon" -> logEpsilon = Double.parseDouble(v);
        case "discriminator" -> discriminator = v;
        default -> throw new IllegalArgumentException("unknown override key '" + key + "'; known keys: "
            + String.join(", ", OVERRIDE_KEYS.keySet()));
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("override " + key + "=" + value + ": '" + value + "' is not a valid "
          + OVERRIDE_KEYS.getOrDefault(key, "value"), e);
    }
    return this;
  }

  private static boolean parseBoolean(String v) {
    return switch (v.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new NumberFormatException(v);
    };
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
