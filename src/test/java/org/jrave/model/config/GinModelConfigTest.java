package org.jrave.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.jrave.golden.Golden;
import org.jrave.model.blocks.PaddingMode;
import org.jrave.model.config.gin.GinConfig;
import org.junit.jupiter.api.Test;

/** A run's config.gin rebuilds the same architecture as the matching jrave presets. */
class GinModelConfigTest {

  @Test
  void goldenConfigsRebuildTheV2NoiseArchitecture() throws Exception {
    for (String variant : new String[] {"v2n-c8", "v2n-c8-causal"}) {
      Path gin = Golden.requireRoot().resolve(variant).resolve("config.gin");
      RaveConfig fromGin = GinModelConfig.fromGin(GinConfig.load(gin), OptionalInt.empty());
      List<String> presets = variant.endsWith("causal") ? List.of("v2", "noise", "causal") : List.of("v2", "noise");
      RaveConfig preset = Presets.builder(presets).capacity(8).build();
      assertThat(fromGin.encoder()).isEqualTo(preset.encoder());
      assertThat(fromGin.decoder()).isEqualTo(preset.decoder());
      assertThat(fromGin.latent()).isEqualTo(preset.latent());
      assertThat(fromGin.padding()).isEqualTo(variant.endsWith("causal") ? PaddingMode.CAUSAL : PaddingMode.CENTERED);
      assertThat(fromGin.training().updateDiscriminatorEvery()).isEqualTo(4);
      assertThat(fromGin.training().weights()).containsEntry("feature_matching", 20.0);
    }
  }

  @Test
  void stereoChannelCountComesFromTheWeightsWhenTheFileOmitsIt() throws Exception {
    Path gin = Golden.requireRoot().resolve("v2n-c8").resolve("config.gin");
    String text = java.nio.file.Files.readString(gin).replace("model.RAVE.n_channels = 1\n", "");
    RaveConfig c = GinModelConfig.fromGin(GinConfig.parse(text), OptionalInt.of(2));
    assertThat(c.channels()).isEqualTo(2);
    assertThat(((EncoderV2Config) c.encoder()).inputChannels()).isEqualTo(32);
  }

  private static final String V1_GIN = """
      # an operative config in the reference's layout, v1.gin bindings
      CAPACITY = 64
      LATENT_SIZE = 128
      N_BAND = 16
      RATIOS = [4, 4, 4, 2]
      SAMPLING_RATE = 44100
      PHASE_1_DURATION = 1000000
      pqmf.CachedPQMF.attenuation = 100
      pqmf.CachedPQMF.n_band = %N_BAND
      convs.get_padding.mode = 'centered'
      variational/blocks.Encoder.capacity = %CAPACITY
      variational/blocks.Encoder.data_size = %N_BAND
      variational/blocks.Encoder.latent_size = %LATENT_SIZE
      variational/blocks.Encoder.n_out = 2
      variational/blocks.Encoder.ratios = %RATIOS
      variational/blocks.Encoder.sample_norm = False
      variational/blocks.Encoder.repeat_layers = 1
      blocks.VariationalEncoder.encoder = @variational/blocks.Encoder
      blocks.Generator.capacity = %CAPACITY
      blocks.Generator.data_size = %N_BAND
      blocks.Generator.latent_size = %LATENT_SIZE
      blocks.Generator.loud_stride = 1
      blocks.Generator.ratios = %RATIOS
      blocks.Generator.use_noise = True
      blocks.ResidualStack.kernel_sizes = [3]
      blocks.ResidualStack.dilations_list = [[1, 1], [3, 1], [5, 1]]
      blocks.NoiseGenerator.ratios = [4, 4, 4]
      blocks.NoiseGenerator.noise_bands = 5
      model.RAVE.encoder = @blocks.VariationalEncoder
      model.RAVE.decoder = @blocks.Generator
      model.RAVE.phase_1_duration = %PHASE_1_DURATION
      model.RAVE.valid_signal_crop = False
      model.RAVE.num_skipped_features = 0
      model.RAVE.weights = {'feature_matching': 10}
      model.BetaWarmupCallback.initial_value = 0.1
      model.BetaWarmupCallback.target_value = 0.1
      model.BetaWarmupCallback.warmup_len = 1
      """;

  @Test
  void v1ConfigRebuildsTheV1Architecture() {
    RaveConfig fromGin = GinModelConfig.fromGin(GinConfig.parse(V1_GIN), OptionalInt.empty());
    RaveConfig preset = Presets.resolve("v1");
    assertThat(fromGin.encoder()).isEqualTo(preset.encoder());
    assertThat(fromGin.decoder()).isEqualTo(preset.decoder());
    assertThat(fromGin.training().betaTarget()).isEqualTo(0.1);
  }

  @Test
  void unknownArchitecturesAreNamed() {
    String text = V1_GIN.replace("@blocks.Generator\n", "@blocks.FancyGenerator\n");
    assertThatThrownBy(() -> GinModelConfig.fromGin(GinConfig.parse(text), OptionalInt.empty()))
        .hasMessageContaining("FancyGenerator");
  }
}
