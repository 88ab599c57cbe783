package org.jrave.model.config;

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
