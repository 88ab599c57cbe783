package org.jrave.model.config;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jrave.model.blocks.Activation;
import org.jrave.model.blocks.PaddingMode;

/**
 * Named configurations mirroring the reference's gin files: base presets (v2, v2_small, ...) and
 * modifiers applied on top of them (causal, noise, ...), in the order given, like gin files parsed
 * in order.
 */
public final class Presets {

  private static final Map<String, Preset> PRESETS = new LinkedHashMap<>();

  /** One preset: whether it is a base or a modifier, what it changes, and a one-line summary. */
  public record Preset(String name, boolean base, String summary, Consumer<ConfigBuilder> apply) {}

  static {
    base("v2", "v2: EncoderV2/GeneratorV2, capacity 96, ratios 4,4,4,2, amplitude modulation", b -> {});
    base("v2_small", "v2 at capacity 48, ratios 4,2,2,2 (512x), noise generator with 32 bands", b -> {
      b.capacity = 48;
      b.ratios = List.of(4, 2, 2, 2);
      b.noise = new NoiseV2Config(64, List.of(2, 2, 2), 32);
      b.updateDiscriminatorEvery = 2;
      b.betaInitial = 0.01;
      b.betaTarget = 0.01;
      b.betaWarmupLength = 300_000;
    });
    modifier("causal", "all padding in the past (PQMF included): low-latency streaming", b -> b.padding = PaddingMode.CAUSAL);
    modifier("noise", "adds the filtered-noise generator (hidden 128, ratios 2,2,2, 5 bands)",
        b -> b.noise = new NoiseV2Config(128, List.of(2, 2, 2), 5));
    modifier("snake", "Snake activations in the encoder, decoder and noise generator", b -> b.activation = Activation.SNAKE);
    modifier("adain", "adaptive instance normalisation before every residual unit", b -> b.adain = true);
    modifier("descript_discriminator", "the DAC (descript) multi-period + multi-resolution discriminator",
        b -> b.discriminator = "descript");
    base("v3", "v2 with AdaIN, Snake activations and the descript discriminator", b -> {
      include(b, "adain", "snake", "descript_discriminator");
      logBetaWarmup(b);
    });
    base("v1", "v1: batch-normed encoder, generator with loudness and noise branches, capacity 64", Presets::v1);
    base("onnx", "v1 at capacity 32 without the noise branch", b -> {
      v1(b);
      b.capacity = 32;
      b.v1Noise = null;
    });
    base("raspberry", "v1 at capacity 16 without the noise branch", b -> {
      include(b, "onnx");
      b.capacity = 16;
    });
    base("discrete", "residual vector quantisation (16 x 1024 codes), ratios 4,4,2,2, 128 noise channels", b -> {
      b.ratios = List.of(4, 4, 2, 2);
      b.latentSize = 128;
      b.latent = new LatentConfig.Discrete(16, 1024, 128);
      b.phase1Duration = 200_000;
      b.numSkippedFeatures = 0;
      b.logEpsilon = 1;
      constantBeta(b, 0.1);
    });
    base("discrete_v3", "discrete with Snake activations and the descript discriminator", b -> {
      include(b, "discrete", "snake", "descript_discriminator");
      logBetaWarmup(b);
    });
    modifier("wasserstein", "latent 16 regularised by MMD towards N(0, I), 128 noise channels", b -> {
      b.latentSize = 16;
      b.latent = new LatentConfig.Wasserstein(128);
      b.phase1Duration = 200_000;
      b.weights = new HashMap<>(Map.of(
          "fullband_spectral_distance", 2.0, "multiband_spectral_distance", 2.0, "adversarial", 2.0));
      constantBeta(b, 100);
    });
    modifier("spherical", "latent 16 projected onto the unit sphere", b -> {
      b.latentSize = 16;
      b.latent = new LatentConfig.Spherical();
      b.phase1Duration = 200_000;
    });
  }

  /** v1.gin: the v1 blocks and the v1 training recipe. */
  private static void v1(ConfigBuilder b) {
    b.architecture = ConfigBuilder.Architecture.V1;
    b.capacity = 64;
    b.ratios = List.of(4, 4, 4, 2);
    b.latentSize = 128;
    b.phase1Duration = 1_000_000;
    b.updateDiscriminatorEvery = 2;
    b.validSignalCrop = false;
    b.numSkippedFeatures = 0;
    constantBeta(b, 0.1);
    b.logEpsilon = 1e-7;
    b.weights = new HashMap<>(Map.of("feature_matching", 10.0));
    b.discriminator = "msd";
    b.featureMatchingRelative = false;
  }

  private static void constantBeta(ConfigBuilder b, double beta) {
    b.betaInitial = beta;
    b.betaTarget = beta;
    b.betaWarmupLength = 1;
  }

  /** Beta from 1e-6 to 5e-2 over 20 000 steps on a log scale (v2.gin, v3.gin, discrete_v3.gin). */
  private static void logBetaWarmup(ConfigBuilder b) {
    b.betaInitial = 1e-6;
    b.betaTarget = 5e-2;
    b.betaWarmupLength = 20_000;
  }

  /** Applies other presets in order, as a gin file's {@code include}s. */
  private static void include(ConfigBuilder b, String... names) {
    for (String name : names) {
      PRESETS.get(name).apply().accept(b);
    }
  }

  private Presets() {}

  private static void base(String name, String summary, Consumer<ConfigBuilder> apply) {
    PRESETS.put(name, new Preset(name, true, summary, apply));
  }

  private static void modifier(String name, String summary, Consumer<ConfigBuilder> apply) {
    PRESETS.put(name, new Preset(name, false, summary, apply));
  }

  public static Map<String, Preset> all() {
    return java.util.Collections.unmodifiableMap(PRESETS);
  }

  /** A builder with the named presets applied in order; the first must be a base preset. */
  public static ConfigBuilder builder(List<String> names) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("name at least one preset, for example v2");
    }
    ConfigBuilder b = new ConfigBuilder();
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i).toLowerCase(java.util.Locale.ROOT).replace(".gin", "");
      Preset p = PRESETS.get(n);
      if (p == null) {
        throw new IllegalArgumentException("unknown preset '" + names.get(i) + "'; known presets: "
            + String.join(", ", PRESETS.keySet()));
      }
      if (i == 0 && !p.base()) {
        throw new IllegalArgumentException("'" + n + "' modifies a preset; start with a base preset such as v2, then add "
            + n + " (for example: v2 " + n + ")");
      }
      p.apply().accept(b);
    }
    b.name = String.join("+", names);
    return b;
  }

  public static RaveConfig resolve(String... names) {
    return builder(List.of(names)).build();
  }
}
