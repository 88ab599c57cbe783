package org.jrave.model.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jrave.model.blocks.Activation;
import org.jrave.model.blocks.PaddingMode;
import org.jrave.model.config.gin.GinConfig;
import org.jrave.model.config.gin.GinException;
import org.jrave.model.config.gin.GinReference;

/**
 * Rebuilds a {@link RaveConfig} from a reference run's {@code config.gin} (spec 10.3): the encoder
 * and decoder classes and their bound arguments (looked up in the scope the run used), the latent
 * type, the padding mode, the noise generator and the training recipe.
 *
 * <p>It is also how a user's gin overrides reach a jrave configuration ({@link GinOverrides}):
 * the configuration is written as gin ({@link PresetGin}), the user's lines apply, and this reads it back.
 *
 * <p>{@code model.RAVE.n_channels} is usually absent from run folders; the caller passes the
 * channel count inferred from the weights when the file does not say.
 */
public final class GinModelConfig {
  private GinModelConfig() {}

  public static RaveConfig fromGin(GinConfig gin, OptionalInt channelsFromWeights) {
    int sampleRate = intOr(gin, "model.RAVE", "sampling_rate", gin.hasMacro("SAMPLING_RATE") ? gin.getInt("SAMPLING_RATE") : 44100);
    int channels = gin.has("model.RAVE", "n_channels") && !gin.isNone("model.RAVE", "n_channels")
        ? gin.getInt("model.RAVE", "n_channels") : channelsFromWeights.orElse(1);
    int bands = intOr(gin, "pqmf.CachedPQMF", "n_band", gin.hasMacro("N_BAND") ? gin.getInt("N_BAND") : 16);
    double attenuation = gin.has("pqmf.CachedPQMF", "attenuation") ? gin.getDouble("pqmf.CachedPQMF", "attenuation") : 100;
    PaddingMode padding = gin.has("convs.get_padding", "mode")
        ? PaddingMode.parse(gin.getString("convs.get_padding", "mode")) : PaddingMode.CENTERED;

    GinReference encoderRef = gin.getReference("model.RAVE", "encoder");
    String latentKind = encoderRef.shortName();
    GinReference innerRef = gin.getReference(encoderRef.scopedName(), "encoder");
    String enc = innerRef.scopedName();
    int latentSize = gin.getInt(enc, "latent_size");
    int nOut = gin.getInt(enc, "n_out");
    EncoderConfig encoder = switch (innerRef.shortName()) {
      case "EncoderV2" -> new EncoderV2Config(
          gin.getInt(enc, "data_size") * channels, gin.getInt(enc, "capacity"), gin.getIntList(enc, "ratios"),
          latentSize, nOut, gin.getInt(enc, "kernel_size"), dilations(gin, enc), boolOr(gin, enc, "keep_dim", false),
          activation(gin, enc), reference(gin, enc, "adain").isPresent());
      case "Encoder" -> new EncoderV1Config(
          gin.getInt(enc, "data_size") * channels, gin.getInt(enc, "capacity"), gin.getIntList(enc, "ratios"),
          latentSize, nOut, boolOr(gin, enc, "sample_norm", false), intOr(gin, enc, "repeat_layers", 1));
      default -> throw new IllegalArgumentException("config.gin uses the encoder " + innerRef.name()
          + ", which jrave cannot rebuild (supported: EncoderV2, Encoder)");
    };

    int noiseAugmentation = gin.hasMacro("NOISE_AUGMENTATION") ? gin.getInt("NOISE_AUGMENTATION") : 0;
    LatentConfig latent = switch (latentKind) {
      case "VariationalEncoder" -> new LatentConfig.Variational(
          gin.has(encoderRef.scopedName(), "beta") ? gin.getDouble(encoderRef.scopedName(), "beta") : 1.0);
      case "WasserteinEncoder" -> new LatentConfig.Wasserstein(noiseAugmentation);
      case "DiscreteEncoder" -> new LatentConfig.Discrete(
          gin.getInt(encoderRef.scopedName(), "num_quantizers"),
          gin.hasMacro("CODEBOOK_SIZE") ? gin.getInt("CODEBOOK_SIZE") : 1024, noiseAugmentation);
      case "SphericalEncoder" -> new LatentConfig.Spherical();
      default -> throw new IllegalArgumentException("config.gin uses the latent encoder " + encoderRef.name()
          + ", which jrave does not know");
    };

    GinReference decoderRef = gin.getReference("model.RAVE", "decoder");
    String dec = decoderRef.scopedName();
    int dataSize = gin.has(dec, "data_size") && !gin.isNone(dec, "data_size") ? gin.getInt(dec, "data_size") : 1;
    DecoderConfig decoder = switch (decoderRef.shortName()) {
      case "GeneratorV2" -> new GeneratorV2Config(
          gin.getInt(dec, "capacity"), gin.getIntList(dec, "ratios"), latentSize + noiseAugmentation,
          gin.getInt(dec, "kernel_size"), dilations(gin, dec), boolOr(gin, dec, "keep_dim", false), dataSize * channels,
          boolOr(gin, dec, "amplitude_modulation", false),
          reference(gin, dec, "noise_module").map(ref -> new NoiseV2Config(
              gin.getInt(ref.scopedName(), "hidden_size"), gin.getIntList(ref.scopedName(), "ratios"),
              gin.getInt(ref.scopedName(), "noise_bands"))).orElse(null),
          activation(gin, dec), reference(gin, dec, "adain").isPresent());
      case "Generator" -> generatorV1(gin, dec, latentSize + noiseAugmentation, dataSize * channels);
      default -> throw new IllegalArgumentException("config.gin uses the decoder " + decoderRef.name()
          + ", which jrave cannot rebuild (supported: GeneratorV2, Generator)");
    };

    TrainingConfig training = training(gin);
    String name = "config.gin (" + latentKind + ", " + innerRef.shortName() + ", " + decoderRef.shortName() + ")";
    return new RaveConfig(name, sampleRate, channels, bands, attenuation, padding, latentSize, encoder, latent, decoder, training);
  }

  /** The v1 generator, with the residual stack and noise generator bound in their own sections. */
  private static GeneratorV1Config generatorV1(GinConfig gin, String dec, int latentInput, int outputChannels) {
    String stack = "blocks.ResidualStack";
    List<Integer> kernels = gin.has(stack, "kernel_sizes") ? gin.getIntList(stack, "kernel_sizes") : List.of(3);
    List<List<Integer>> dilations = gin.has(stack, "dilations_list")
        ? gin.getNestedIntList(stack, "dilations_list") : List.of(List.of(1, 1), List.of(3, 1), List.of(5, 1));
    boolean useNoise = boolOr(gin, dec, "use_noise", true);
    String noise = "blocks.NoiseGenerator";
    NoiseV1Config noiseConfig = useNoise ? new NoiseV1Config(
        gin.has(noise, "ratios") ? gin.getIntList(noise, "ratios") : List.of(4, 4, 4),
        intOr(gin, noise, "noise_bands", 5)) : null;
    return new GeneratorV1Config(latentInput, gin.getInt(dec, "capacity"), gin.getIntList(dec, "ratios"),
        outputChannels, intOr(gin, dec, "loud_stride", 1), kernels, dilations, noiseConfig);
  }

  private static TrainingConfig training(GinConfig gin) {
    String rave = "model.RAVE";
    String beta = "model.BetaWarmupCallback";
    Map<String, Double> weights = new HashMap<>();
    if (gin.has(rave, "weights") && !gin.isNone(rave, "weights")) {
      gin.getMap(rave, "weights").forEach((k, v) -> {
        if (!(v instanceof Number n)) {
          throw new GinException("model.RAVE.weights: the weight of " + GinConfig.format(k) + " must be a number, not "
              + GinConfig.format(v));
        }
        weights.put(k.toString(), n.doubleValue());
      });
    }
    String discriminator = reference(gin, rave, "discriminator").map(GinReference::shortName).orElse("none");
    return new TrainingConfig(
        intOr(gin, rave, "phase_1_duration", 1_000_000),
        intOr(gin, rave, "update_discriminator_every", 2),
        boolOr(gin, rave, "valid_signal_crop", false),
        intOr(gin, rave, "num_skipped_features", 0),
        gin.has(beta, "initial_value") ? gin.getDouble(beta, "initial_value") : 0.2,
        gin.has(beta, "target_value") ? gin.getDouble(beta, "target_value") : 0.2,
        intOr(gin, beta, "warmup_len", 1),
        gin.has("core.AudioDistanceV1", "log_epsilon") ? gin.getDouble("core.AudioDistanceV1", "log_epsilon") : 1e-7,
        weights, discriminator, true);
  }

  private static List<List<Integer>> dilations(GinConfig gin, String configurable) {
    Object raw = gin.get(configurable, "dilations");
    List<Integer> ratios = gin.getIntList(configurable, "ratios");
    if (raw instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof List) {
      return gin.getNestedIntList(configurable, "dilations");
    }
    List<Integer> shared = gin.getIntList(configurable, "dilations");
    return ratios.stream().map(r -> shared).toList();
  }

  private static Activation activation(GinConfig gin, String configurable) {
    return reference(gin, configurable, "activation")
        .map(r -> r.shortName().equals("Snake") ? Activation.SNAKE : Activation.LEAKY_RELU)
        .orElse(Activation.LEAKY_RELU);
  }

  private static Optional<GinReference> reference(GinConfig gin, String configurable, String param) {
    return gin.findReference(configurable, param);
  }

  private static int intOr(GinConfig gin, String configurable, String param, int fallback) {
    return gin.has(configurable, param) && !gin.isNone(configurable, param) ? gin.getInt(configurable, param) : fallback;
  }

  private static boolean boolOr(GinConfig gin, String configurable, String param, boolean fallback) {
    return gin.has(configurable, param) && !gin.isNone(configurable, param) ? gin.getBoolean(configurable, param) : fallback;
  }
}
