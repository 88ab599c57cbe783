package org.jrave.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jrave.model.blocks.Activation;
import org.jrave.model.blocks.PaddingMode;
import org.jrave.model.config.gin.GinConfig;
import org.junit.jupiter.api.Test;

/** The reference's macros and bindings, applied to a preset, change what jrave builds. */
class GinOverridesTest {

  private static RaveConfig apply(String preset, String gin) {
    return GinOverrides.apply(Presets.resolve(preset.split(" ")), GinConfig.parse(gin), "test");
  }

  @Test
  void macrosChangeEveryBindingThatRefersToThem() {
    RaveConfig c = apply("v2", "CAPACITY = 32\nN_BAND = 8\nLATENT_SIZE = 16\nRATIOS = [4, 4, 2, 2]\n"
        + "PHASE_1_DURATION = 200000\nKERNEL_SIZE = 5\nSAMPLING_RATE = 48000\n");
    EncoderV2Config encoder = (EncoderV2Config) c.encoder();
    GeneratorV2Config decoder = (GeneratorV2Config) c.decoder();
    assertThat(encoder.capacity()).isEqualTo(32);
    assertThat(decoder.capacity()).isEqualTo(32);
    assertThat(c.bands()).isEqualTo(8);
    assertThat(encoder.inputChannels()).isEqualTo(8);
    assertThat(decoder.outputChannels()).isEqualTo(8);
    assertThat(c.latentSize()).isEqualTo(16);
    assertThat(decoder.latentInputSize()).isEqualTo(16);
    assertThat(encoder.ratios()).containsExactly(4, 4, 2, 2);
    assertThat(decoder.ratios()).containsExactly(4, 4, 2, 2);
    assertThat(c.training().phase1Duration()).isEqualTo(200_000);
    assertThat(encoder.kernel()).isEqualTo(5);
    assertThat(c.sampleRate()).isEqualTo(48000);
    assertThat(c.name()).isEqualTo("v2");
    assertThat(c.training().discriminator()).isEqualTo("mpd+msd");
  }

  @Test
  void theDiscretePresetsAlsoTakeTheirQuantiserMacros() {
    RaveConfig c = apply("discrete", "NUM_QUANTIZERS = 8\nCODEBOOK_SIZE = 512\nNOISE_AUGMENTATION = 64\n");
    assertThat(c.latent()).isEqualTo(new LatentConfig.Discrete(8, 512, 64));
    assertThat(((GeneratorV2Config) c.decoder()).latentInputSize()).isEqualTo(128 + 64);
  }

  @Test
  void bindingsMayBeWrittenWithModuleScopeOrShortName() {
    RaveConfig c = apply("v2", """
        VariationalEncoder.beta = 0.5
        variational/blocks.EncoderV2.capacity = 48
        cc.get_padding.mode = 'causal'
        model.RAVE.update_discriminator_every = 2
        model.RAVE.weights = {'feature_matching': 10, 'adversarial': 2.5}
        BetaWarmupCallback.target_value = 0.1
        blocks.GeneratorV2.noise_module = @blocks.NoiseGeneratorV2
        blocks.NoiseGeneratorV2.noise_bands = 7
        GeneratorV2.activation = @blocks.Snake
        """);
    assertThat(c.latent()).isEqualTo(new LatentConfig.Variational(0.5));
    assertThat(((EncoderV2Config) c.encoder()).capacity()).isEqualTo(48);
    assertThat(((GeneratorV2Config) c.decoder()).capacity()).as("a binding, unlike the macro, sets one configurable")
        .isEqualTo(96);
    assertThat(c.padding()).isEqualTo(PaddingMode.CAUSAL);
    assertThat(c.training().updateDiscriminatorEvery()).isEqualTo(2);
    assertThat(c.training().weights()).containsExactlyInAnyOrderEntriesOf(
        java.util.Map.of("feature_matching", 10.0, "adversarial", 2.5));
    assertThat(c.training().betaTarget()).isEqualTo(0.1);
    assertThat(((GeneratorV2Config) c.decoder()).noise()).isEqualTo(new NoiseV2Config(128, List.of(2, 2, 2), 7));
    assertThat(((GeneratorV2Config) c.decoder()).activation()).isEqualTo(Activation.SNAKE);
  }

  @Test
  void laterSourcesApplyAsLaterGinFiles() {
    RaveConfig c = GinOverrides.apply(Presets.resolve("v2"), List.of(
        new GinOverrides.Source(GinConfig.parse("blocks.EncoderV2.capacity = 32\nLATENT_SIZE = 8\n"), "mine.gin"),
        new GinOverrides.Source(GinConfig.parse("CAPACITY = 64"), "--override CAPACITY=64"),
        new GinOverrides.Source(GinConfig.parse("LATENT_SIZE = 12"), "--override LATENT_SIZE=12")));
    assertThat(((EncoderV2Config) c.encoder()).capacity()).as("bound by the file itself").isEqualTo(32);
    assertThat(((GeneratorV2Config) c.decoder()).capacity()).as("through the macro").isEqualTo(64);
    assertThat(c.latentSize()).isEqualTo(12);
  }

  @Test
  void aUserMacroMayFeedTheUsersOwnBindings() {
    RaveConfig c = apply("v1", "WIDTH = 24\nblocks.Encoder.capacity = %WIDTH\nGenerator.use_noise = False\n");
    assertThat(((EncoderV1Config) c.encoder()).capacity()).isEqualTo(24);
    assertThat(((GeneratorV1Config) c.decoder()).noise()).isNull();
  }

  @Test
  void anUnknownMacroOrBindingNamesTheCloseOnes() {
    assertThatThrownBy(() -> apply("v2", "CAPACTY = 32")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("test: jrave does not use the macro CAPACTY; did you mean CAPACITY?");
    assertThatThrownBy(() -> apply("v2", "NUM_QUANTIZERS = 8")).hasMessageContaining("macro NUM_QUANTIZERS")
        .hasMessageContaining("the macros of v2: SAMPLING_RATE, N_BAND");
    assertThatThrownBy(() -> apply("v2", "\nEncoderV2.capacty = 32")).hasMessageStartingWith("<string>:2: jrave does not "
        + "read EncoderV2.capacty; did you mean EncoderV2.capacity");
    assertThatThrownBy(() -> apply("v1", "EncoderV2.capacity = 32")).hasMessageContaining("did you mean Encoder.capacity");
    assertThatThrownBy(() -> apply("v2", "scales/discriminator.ConvNet.kernel_size = 15"))
        .hasMessageContaining("jrave does not read scales/discriminator.ConvNet.kernel_size");
  }

  @Test
  void aValueOfTheWrongTypeIsNamedWithTheExpectedOne() {
    assertThatThrownBy(() -> apply("v2", "CAPACITY = 32.5")).hasMessage(
        "CAPACITY (test) takes an int (the configuration's is 96), not float 32.5");
    assertThatThrownBy(() -> apply("v2", "RATIOS = 4")).hasMessageContaining("RATIOS (test) takes a list");
    assertThatThrownBy(() -> apply("v2", "convs.get_padding.mode = 1"))
        .hasMessageContaining("convs.get_padding.mode (<string>:1) takes a string (the configuration's is 'centered')");
    assertThatThrownBy(() -> apply("v2", "RATIOS = ['a']")).hasMessageContaining("expected a list of ints");
    assertThatThrownBy(() -> apply("v2", "blocks.EncoderV2.capacity = %NOWHERE")).hasMessageContaining("undefined macro %NOWHERE");
    assertThatThrownBy(() -> apply("v2", "RATIOS = [4, 4, 2]")).hasMessage(
        "test: need one dilation list per encoder stage: 3 ratios but 4 dilation lists");
    assertThatThrownBy(() -> apply("v2", "model.RAVE.weights = {'adversarial': 'high'}")).hasMessage(
        "test: model.RAVE.weights: the weight of 'adversarial' must be a number, not 'high'");
  }

  @Test
  void bindingsThatBreakTheModelsAgreementsAreRefused() {
    assertThatThrownBy(() -> apply("v2", "blocks.EncoderV2.data_size = 8")).hasMessage("test: the encoder reads 8 and the "
        + "decoder writes 16 values per frame, but 16 bands x 1 channel(s) make 16: set N_BAND (and --channels) rather "
        + "than data_size");
    assertThatThrownBy(() -> apply("v2", "variational/blocks.EncoderV2.n_out = 1")).hasMessage(
        "test: the encoder's n_out is 1 but the variational latent needs 2 (mean and scale)");
    assertThatThrownBy(() -> apply("v2", "blocks.GeneratorV2.ratios = [4, 4, 2, 2]")).hasMessage(
        "test: the encoder's ratios [4, 4, 4, 2] and the decoder's [4, 4, 2, 2] compress by different factors: "
        + "set RATIOS for both");
    assertThatThrownBy(() -> apply("v2", "model.RAVE.encoder = @blocks.SphericalEncoder")).hasMessageContaining(
        "model.RAVE.encoder (<string>:1): jrave changes the encoder, latent and decoder classes through presets");
    assertThatThrownBy(() -> apply("v2", "EncoderV2.activation = @nn.GELU")).hasMessage(
        "blocks.EncoderV2.activation (<string>:1): jrave builds @LeakyReLU or @Snake here, not @nn.GELU");
    assertThatThrownBy(() -> apply("v2", "VariationalEncoder.beta = None")).hasMessage(
        "blocks.VariationalEncoder.beta (<string>:1) takes a float (the configuration's is 1.0), not None");
    assertThat(apply("v2", "variational/blocks.EncoderV2.n_out = 2")).as("the preset's own value").isEqualTo(
        Presets.resolve("v2"));
  }

  @Test
  void anIntIsAFloatAndATupleAList() {
    RaveConfig c = apply("v2", "VariationalEncoder.beta = 2\nRATIOS = (4, 4, 4, 4)\n");
    assertThat(c.latent()).isEqualTo(new LatentConfig.Variational(2.0));
    assertThat(((EncoderV2Config) c.encoder()).ratios()).containsExactly(4, 4, 4, 4);
  }
}
