package org.jrave.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
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
    String text = Files.readString(gin).replace("model.RAVE.n_channels = 1\n", "");
    RaveConfig c = GinModelConfig.fromGin(GinConfig.parse(text), OptionalInt.of(2));
    assertThat(c.channels()).isEqualTo(2);
    assertThat(((EncoderV2Config) c.encoder()).inputChannels()).isEqualTo(32);
  }

  /** An operative config in the reference's layout, v1.gin bindings (a test resource RunImporterTest shares). */
  private static String v1Gin() throws Exception {
    return Files.readString(Path.of(GinModelConfigTest.class.getResource("gin/v1.gin").toURI()));
  }

  @Test
  void v1ConfigRebuildsTheV1Architecture() throws Exception {
    RaveConfig fromGin = GinModelConfig.fromGin(GinConfig.parse(v1Gin()), OptionalInt.empty());
    RaveConfig preset = Presets.resolve("v1");
    assertThat(fromGin.encoder()).isEqualTo(preset.encoder());
    assertThat(fromGin.decoder()).isEqualTo(preset.decoder());
    assertThat(fromGin.training().betaTarget()).isEqualTo(0.1);
  }

  @Test
  void unknownArchitecturesAreNamed() throws Exception {
    String text = v1Gin().replace("@blocks.Generator\n", "@blocks.FancyGenerator\n");
    assertThatThrownBy(() -> GinModelConfig.fromGin(GinConfig.parse(text), OptionalInt.empty()))
        .hasMessageContaining("FancyGenerator");
  }
}
