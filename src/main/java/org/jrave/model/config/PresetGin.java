package org.jrave.model.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jrave.model.blocks.Activation;
import org.jrave.model.config.gin.GinConfig;

/**
 * A configuration written as the reference's operative {@code config.gin} would state it: its macros
 * ({@code CAPACITY}, {@code RATIOS}, ...) and the bindings {@link GinModelConfig} reads, with the
 * shared values referring to their macro. Gin bindings given by a user apply on top of it, and
 * {@link GinModelConfig} turns the result back into a configuration, so the one gin-to-jrave mapping
 * serves both a reference run's file and a user's overrides.
 */
public final class PresetGin {
  private PresetGin() {}

  /** The macros a preset's gin defines (the last two only for the discrete presets), with what each sets. */
  public static final Map<String, String> MACROS = macros();

  private static Map<String, String> macros() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("SAMPLING_RATE", "model sample rate in Hz");
    m.put("N_BAND", "PQMF bands");
    m.put("CAPACITY", "base width of encoder, decoder and discriminators");
    m.put("LATENT_SIZE", "latent dimensions");
    m.put("RATIOS", "encoder/decoder strides, e.g. [4, 4, 4, 2]");
    m.put("KERNEL_SIZE", "residual kernel size (v2 family)");
    m.put("DILATIONS", "dilations of each stage, e.g. [[1, 3, 9], [1, 3, 9], [1, 3, 9], [1, 3]] (v2 family)");
    m.put("NOISE_AUGMENTATION", "noise channels added to the decoder's latent input");
    m.put("PHASE_1_DURATION", "steps before the adversarial phase");
    m.put("NUM_QUANTIZERS", "residual quantisers (discrete presets)");
    m.put("CODEBOOK_SIZE", "codes per quantiser (discrete presets)");
    return java.util.Collections.unmodifiableMap(m);
  }

  // noise.gin's and v1.gin's generator settings: bound even when the branch is off, so that an override
  // switching it on finds them.
  private static final NoiseV2Config NOISE_V2_DEFAULT = new NoiseV2Config(128, List.of(2, 2, 2), 5);
  private static final NoiseV1Config NOISE_V1_DEFAULT = new NoiseV1Config(List.of(4, 4, 4), 5);

  /** {@code config} as gin; {@code GinModelConfig.fromGin} of it gives {@code config} back (see {@link #restore}). */
  public static GinConfig of(RaveConfig config) {
    return GinConfig.parse(text(config), "preset " + config.name(), java.nio.file.Path.of(""));
  }

  /**
   * The configuration {@code gin} describes, with what gin does not state taken from {@code preset}:
   * the name, the discriminator and the feature-matching form (jrave names them itself).
   */
  public static RaveConfig restore(GinConfig gin, RaveConfig preset) {
    RaveConfig c = GinModelConfig.fromGin(gin, java.util.OptionalInt.empty());
    TrainingConfig t = c.training();
    TrainingConfig training = new TrainingConfig(t.phase1Duration(), t.updateDiscriminatorEvery(), t.validSignalCrop(),
        t.numSkippedFeatures(), t.betaInitial(), t.betaTarget(), t.betaWarmupLength(), t.logEpsilon(), t.weights(),
        preset.training().discriminator(), preset.training().featureMatchingRelative());
    return new RaveConfig(preset.name(), c.sampleRate(), c.channels(), c.bands(), c.pqmfAttenuation(), c.padding(),
        c.latentSize(), c.encoder(), c.latent(), c.decoder(), training);
  }

  static String text(RaveConfig c) {
    Writer w = new Writer();
    w.macro("SAMPLING_RATE", c.sampleRate());
    w.macro("N_BAND", c.bands());
    w.macro("LATENT_SIZE", c.latentSize());
    w.macro("NOISE_AUGMENTATION", c.latent().noiseAugmentation());
    w.macro("PHASE_1_DURATION", c.training().phase1Duration());
    String encoder = encoder(w, c);
    String latent = latent(w, c, encoder);
    String decoder = decoder(w, c);
    String rave = "model.RAVE";
    w.bind(rave, "sampling_rate", c.sampleRate());
    w.bind(rave, "n_channels", c.channels());
    w.bind(rave, "encoder", ref(latent));
    w.bind(rave, "decoder", ref(decoder));
    training(w, c.training());
    w.bind("pqmf.CachedPQMF", "n_band", c.bands());
    w.bind("pqmf.CachedPQMF", "attenuation", c.pqmfAttenuation());
    w.bind("convs.get_padding", "mode", c.padding().name().toLowerCase(java.util.Locale.ROOT));
    return w.toString();
  }

  private static String encoder(Writer w, RaveConfig c) {
    EncoderConfig e = c.encoder();
    String name = e instanceof EncoderV2Config ? "blocks.EncoderV2" : "blocks.Encoder";
    w.macro("CAPACITY", e.capacity());
    w.macro("RATIOS", e.ratios());
    if (e instanceof EncoderV2Config v2) {
      w.macro("KERNEL_SIZE", v2.kernel());
      w.macro("DILATIONS", v2.dilations());
    }
    w.bind(name, "data_size", e.inputChannels() / c.channels(), "N_BAND");
    w.bind(name, "capacity", e.capacity());
    w.bind(name, "ratios", e.ratios());
    w.bind(name, "latent_size", e.latentSize());
    w.bind(name, "n_out", e.nOut());
    switch (e) {
      case EncoderV2Config v2 -> {
        w.bind(name, "kernel_size", v2.kernel());
        w.bind(name, "dilations", v2.dilations());
        w.bind(name, "keep_dim", v2.keepDim());
        w.bind(name, "activation", activation(v2.activation()));
        w.bind(name, "adain", adain(v2.adain()));
      }
      case EncoderV1Config v1 -> {
        w.bind(name, "sample_norm", v1.sampleNorm());
        w.bind(name, "repeat_layers", v1.repeatLayers());
      }
    }
    return name;
  }


  private static String latent(Writer w, RaveConfig c, String encoder) {
    String name = switch (c.latent()) {
      case LatentConfig.Variational v -> {
        w.bind("blocks.VariationalEncoder", "beta", v.beta());
        yield "blocks.VariationalEncoder";
      }
      case LatentConfig.Wasserstein ignored -> "blocks.WasserteinEncoder"; // sic: the reference's spelling
      case LatentConfig.Discrete d -> {
        w.macro("NUM_QUANTIZERS", d.numQuantizers());
        w.macro("CODEBOOK_SIZE", d.codebookSize());
        w.bind("blocks.DiscreteEncoder", "num_quantizers", d.numQuantizers());
        yield "blocks.DiscreteEncoder";
      }
      case LatentConfig.Spherical ignored -> "blocks.SphericalEncoder";
    };
    w.bind(name, "encoder", ref(encoder));
    return name;
  }

  private static String decoder(Writer w, RaveConfig c) {
    return switch (c.decoder()) {
      case GeneratorV2Config d -> {
        String name = "blocks.GeneratorV2";
        w.bind(name, "data_size", d.outputChannels() / c.channels(), "N_BAND");
        w.bind(name, "capacity", d.capacity());
        w.bind(name, "ratios", d.ratios());
        w.bind(name, "kernel_size", d.kernel());
        w.bind(name, "dilations", d.dilations());
        w.bind(name, "keep_dim", d.keepDim());
        w.bind(name, "amplitude_modulation", d.amplitudeModulation());
        w.bind(name, "noise_module", d.noise() == null ? null : ref("blocks.NoiseGeneratorV2"));
        w.bind(name, "activation", activation(d.activation()));
        w.bind(name, "adain", adain(d.adain()));
        NoiseV2Config noise = d.noise() == null ? NOISE_V2_DEFAULT : d.noise();
        w.bind("blocks.NoiseGeneratorV2", "hidden_size", noise.hiddenSize());
        w.bind("blocks.NoiseGeneratorV2", "ratios", noise.ratios(), null);
        w.bind("blocks.NoiseGeneratorV2", "noise_bands", noise.noiseBands());
        yield name;
      }
      case GeneratorV1Config d -> {
        String name = "blocks.Generator";
        w.bind(name, "data_size", d.outputChannels() / c.channels(), "N_BAND");
        w.bind(name, "capacity", d.capacity());
        w.bind(name, "ratios", d.ratios());
        w.bind(name, "loud_stride", d.loudStride());
        w.bind(name, "use_noise", d.noise() != null);
        w.bind("blocks.ResidualStack", "kernel_sizes", d.residualKernels());
        w.bind("blocks.ResidualStack", "dilations_list", d.residualDilations());
        NoiseV1Config noise = d.noise() == null ? NOISE_V1_DEFAULT : d.noise();
        w.bind("blocks.NoiseGenerator", "ratios", noise.ratios(), null);
        w.bind("blocks.NoiseGenerator", "noise_bands", noise.noiseBands());
        yield name;
      }
    };
  }

  private static void training(Writer w, TrainingConfig t) {
    String rave = "model.RAVE";
    w.bind(rave, "phase_1_duration", t.phase1Duration());
    w.bind(rave, "update_discriminator_every", t.updateDiscriminatorEvery());
    w.bind(rave, "valid_signal_crop", t.validSignalCrop());
    w.bind(rave, "num_skipped_features", t.numSkippedFeatures());
    w.bind(rave, "weights", new TreeMap<>(t.weights()));
    String beta = "model.BetaWarmupCallback";
    w.bind(beta, "initial_value", t.betaInitial());
    w.bind(beta, "target_value", t.betaTarget());
    w.bind(beta, "warmup_len", t.betaWarmupLength());
    w.bind("core.AudioDistanceV1", "log_epsilon", t.logEpsilon());
  }

  private static Raw activation(Activation a) {
    return ref(a == Activation.SNAKE ? "blocks.Snake" : "nn.LeakyReLU");
  }

  private static Raw adain(boolean on) {
    return on ? ref("blocks.AdaptiveInstanceNormalization") : null;
  }

  private static Raw ref(String configurable) {
    return new Raw("@" + configurable);
  }

  /** Gin source text written as is (a reference or a macro use). */
  private record Raw(String text) {}

  /**
   * Collects macro definitions and bindings as gin text; a bound value equal to a macro's refers to
   * the macro, as the reference's files write it, so redefining the macro changes every such binding.
   */
  private static final class Writer {
    private final Map<String, Object> macros = new LinkedHashMap<>();
    private final StringBuilder bindings = new StringBuilder();

    void macro(String name, Object value) {
      macros.put(name, value);
    }

    void bind(String configurable, String param, Object value) {
      bind(configurable, param, value, macroNamed(param));
    }

    /** Binds {@code value}, as {@code %macro} if that macro holds it. */
    void bind(String configurable, String param, Object value, String macro) {
      boolean shared = macro != null && macros.containsKey(macro) && macros.get(macro).equals(value);
      bindings.append(configurable).append('.').append(param).append(" = ")
          .append(shared ? "%" + macro : literal(value)).append('\n');
    }

    /** The macro a parameter conventionally refers to: {@code kernel_size} to {@code KERNEL_SIZE}. */
    private static String macroNamed(String param) {
      String name = param.toUpperCase(java.util.Locale.ROOT);
      return MACROS.containsKey(name) ? name : null;
    }

    private static String literal(Object value) {
      return value instanceof Raw raw ? raw.text() : GinConfig.format(value);
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      macros.forEach((name, value) -> sb.append(name).append(" = ").append(literal(value)).append('\n'));
      return sb.append(bindings).toString();
    }
  }
}
