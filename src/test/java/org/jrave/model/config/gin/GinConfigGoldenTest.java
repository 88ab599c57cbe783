package org.jrave.model.config.gin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operative configs of the golden RAVE runs (copied from golden/v2n-c8{,-causal}/config.gin). */
class GinConfigGoldenTest {

  private static Path centeredFile;
  private static GinConfig centered;
  private static GinConfig causal;

  @BeforeAll
  static void load() throws IOException, URISyntaxException {
    centeredFile = Path.of(GinConfigGoldenTest.class.getResource("v2n-c8.gin").toURI());
    centered = GinConfig.load(centeredFile);
    causal = GinConfig.load(Path.of(GinConfigGoldenTest.class.getResource("v2n-c8-causal.gin").toURI()));
  }

  @Test
  void macros() {
    assertThat(centered.macros().keySet()).containsExactly("CAPACITY", "DILATIONS", "KERNEL_SIZE", "LATENT_SIZE",
        "N_BAND", "NOISE_AUGMENTATION", "PHASE_1_DURATION", "RATIOS", "SAMPLING_RATE");
    assertThat(centered.getInt("CAPACITY")).isEqualTo(8);
    assertThat(centered.get("CAPACITY")).isEqualTo(8L);
    assertThat(centered.getNestedIntList("DILATIONS"))
        .isEqualTo(List.of(List.of(1, 3, 9), List.of(1, 3, 9), List.of(1, 3, 9), List.of(1, 3)));
    assertThat(centered.getIntList("RATIOS")).containsExactly(4, 4, 4, 2);
    assertThat(centered.getInt("SAMPLING_RATE")).isEqualTo(44100);
    assertThat(centered.getInt("PHASE_1_DURATION")).isEqualTo(1_000_000);
  }

  @Test
  void bindingCountMatchesTheFile() throws IOException {
    // Independent count: every non-comment line with " = " that starts at column 0 is a statement;
    // keys without a dot are macros. The one multi-line binding starts with "key = \".
    long statements = Files.readAllLines(centeredFile).stream()
        .filter(l -> !l.startsWith("#") && !l.startsWith(" ") && l.contains(" = ")).count();
    assertThat(centered.bindings().size() + centered.macros().size()).isEqualTo((int) statements);
    assertThat(centered.bindings().get(0).key()).isEqualTo("core.AudioDistanceV1.log_epsilon");
    assertThat(centered.bindings().get(centered.bindings().size() - 1).key())
        .isEqualTo("blocks.VariationalEncoder.encoder");
  }

  @Test
  void scopedEncoderBindingsResolveMacros() {
    String enc = "variational/blocks.EncoderV2";
    assertThat(centered.getInt(enc, "n_out")).isEqualTo(2);
    assertThat(centered.getInt(enc, "capacity")).isEqualTo(8);
    assertThat(centered.getInt(enc, "data_size")).isEqualTo(16);
    assertThat(centered.getIntList(enc, "ratios")).containsExactly(4, 4, 4, 2);
    assertThat(centered.getNestedIntList(enc, "dilations")).hasSize(4).last().isEqualTo(List.of(1, 3));
    assertThat(centered.isNone(enc, "adain")).isTrue();
    assertThat(centered.getBoolean(enc, "keep_dim")).isFalse();
    // short class name, still scoped
    assertThat(centered.getInt("variational/EncoderV2", "n_out")).isEqualTo(2);
    assertThat(centered.get("variational/EncoderV2.latent_size")).isEqualTo(128L);
    // The raw binding keeps the macro reference.
    assertThat(centered.binding(enc, "capacity").orElseThrow().value()).isEqualTo(new GinMacro("CAPACITY"));
  }

  @Test
  void scopedBindingsDoNotApplyOutsideTheirScope() {
    assertThat(centered.has("blocks.EncoderV2", "n_out")).isFalse();
    assertThat(centered.scopesOf("EncoderV2")).containsExactly("variational");
    assertThatThrownBy(() -> centered.getInt("EncoderV2", "capacity")).isInstanceOf(GinException.class)
        .hasMessageContaining("EncoderV2.capacity").hasMessageContaining("variational");
  }

  @Test
  void generatorBindings() {
    assertThat(centered.getInt("blocks.GeneratorV2", "capacity")).isEqualTo(8);
    assertThat(centered.getInt("GeneratorV2", "kernel_size")).isEqualTo(3);
    assertThat(centered.getBoolean("blocks.GeneratorV2", "amplitude_modulation")).isTrue();
    GinReference noise = centered.getReference("blocks.GeneratorV2", "noise_module");
    assertThat(noise).isEqualTo(new GinReference("blocks.NoiseGeneratorV2", "", false));
    assertThat(noise.refersTo("NoiseGeneratorV2")).isTrue();
    GinReference latent = centered.getReference("blocks.GeneratorV2", "latent_size");
    assertThat(latent.name()).isEqualTo("core.get_augmented_latent_size");
    assertThat(latent.evaluated()).isTrue();
    assertThat(centered.findReference("blocks.GeneratorV2", "adain")).isEmpty();
    assertThat(centered.findReference("blocks.GeneratorV2", "recurrent_layer")).isEmpty();
    assertThat(centered.getInt("blocks.NoiseGeneratorV2", "hidden_size")).isEqualTo(128);
    assertThat(centered.getIntList("blocks.NoiseGeneratorV2", "ratios")).containsExactly(2, 2, 2);
  }

  @Test
  void paddingModeDiffersBetweenCenteredAndCausal() {
    assertThat(centered.getString("convs.get_padding", "mode")).isEqualTo("centered");
    assertThat(causal.getString("convs.get_padding", "mode")).isEqualTo("causal");
    assertThat(centered.getString("variational/convs.get_padding", "mode")).isEqualTo("centered");
    assertThat(causal.getString("variational/convs.get_padding", "mode")).isEqualTo("causal");
    // periods/ binds only dilation: mode falls back to the unscoped binding
    assertThat(causal.getString("periods/convs.get_padding", "mode")).isEqualTo("causal");
    assertThat(causal.getInt("periods/get_padding", "dilation")).isEqualTo(1);
  }

  @Test
  void raveModelBindings() {
    Map<Object, Object> weights = centered.getMap("model.RAVE", "weights");
    assertThat(weights).containsExactly(Map.entry("feature_matching", 20L));
    assertThat(centered.getString("RAVE", "input_mode")).isEqualTo("pqmf");
    assertThat(centered.getInt("model.RAVE", "phase_1_duration")).isEqualTo(1_000_000);
    assertThat(centered.getInt("model.RAVE", "n_channels")).isEqualTo(1);
    assertThat(centered.getReference("model.RAVE", "encoder").shortName()).isEqualTo("VariationalEncoder");
    GinReference fm = centered.getReference("model.RAVE", "feature_matching_fun");
    assertThat(fm.scope()).isEqualTo("feature_matching");
    assertThat(fm.name()).isEqualTo("core.mean_difference");
    assertThat(centered.getReference("blocks.VariationalEncoder", "encoder"))
        .isEqualTo(new GinReference("blocks.EncoderV2", "variational", false));
    assertThat(centered.getDouble("blocks.VariationalEncoder", "beta")).isEqualTo(1.0);
  }

  @Test
  void discriminatorBindings() {
    assertThat(centered.get("periods/discriminator.ConvNet", "kernel_size")).isEqualTo(GinTuple.of(5L, 1L));
    assertThat(centered.getIntList("periods/discriminator.ConvNet", "kernel_size")).containsExactly(5, 1);
    assertThat(centered.getInt("scales/discriminator.ConvNet", "kernel_size")).isEqualTo(15);
    assertThat(centered.getInt("periods/ConvNet", "capacity")).isEqualTo(8);
    assertThat(centered.getReference("discriminator.MultiPeriodDiscriminator", "convnet").scopedName())
        .isEqualTo("periods/discriminator.ConvNet");
    assertThat(centered.getList("discriminator.CombineDiscriminators", "discriminators")).containsExactly(
        new GinReference("discriminator.MultiPeriodDiscriminator", "", false),
        new GinReference("discriminator.MultiScaleDiscriminator", "", false));
    assertThat(centered.getIntList("MultiPeriodDiscriminator", "periods")).containsExactly(2, 3, 5, 7, 11);
    assertThat(centered.getDouble("core.AudioDistanceV1", "log_epsilon")).isEqualTo(1e-7);
    assertThat(centered.get("scales/torch.nn.Conv1d", "device")).isNull();
    assertThat(centered.getString("scales/nn.Conv1d", "padding_mode")).isEqualTo("zeros");
    assertThat(centered.getBoolean("scales/torch.nn.Conv1d", "bias")).isTrue();
    assertThat(centered.getBoolean("cc.Conv1d", "bias")).isFalse();
  }

  @Test
  void ambiguousShortNameIsAnError() {
    // cc.Conv1d and torch.nn.Conv1d are different configurables
    assertThatThrownBy(() -> centered.get("scales/Conv1d", "bias")).isInstanceOf(GinException.class)
        .hasMessageContaining("ambiguous").hasMessageContaining("cc.Conv1d").hasMessageContaining("torch.nn.Conv1d");
  }

  @Test
  void typeErrorsNameTheBindingAndItsLine() {
    assertThatThrownBy(() -> centered.getInt("model.RAVE", "input_mode")).isInstanceOf(GinException.class)
        .hasMessageContaining("model.RAVE.input_mode").hasMessageContaining("v2n-c8.gin:")
        .hasMessageContaining("expected an int").hasMessageContaining("string 'pqmf'");
    assertThatThrownBy(() -> centered.getReference("model.RAVE", "weights")).isInstanceOf(GinException.class)
        .hasMessageContaining("expected a reference").hasMessageContaining("dict");
    assertThatThrownBy(() -> centered.getIntList("model.RAVE", "input_mode")).isInstanceOf(GinException.class)
        .hasMessageContaining("expected a list or tuple");
    assertThatThrownBy(() -> centered.getNestedIntList("RATIOS")).isInstanceOf(GinException.class)
        .hasMessageContaining("RATIOS");
    assertThatThrownBy(() -> centered.get("model.RAVE", "no_such_param")).isInstanceOf(GinException.class)
        .hasMessageContaining("no binding for model.RAVE.no_such_param");
    assertThatThrownBy(() -> centered.getInt("NO_SUCH_MACRO")).isInstanceOf(GinException.class)
        .hasMessageContaining("undefined macro %NO_SUCH_MACRO");
  }

  @Test
  void mergeAppliesLaterOverrides() {
    GinConfig merged = centered.merge(GinConfig.parse("CAPACITY = 96\nconvs.get_padding.mode = 'causal'\n"));
    assertThat(merged.getString("convs.get_padding", "mode")).isEqualTo("causal");
    assertThat(merged.getString("variational/convs.get_padding", "mode")).isEqualTo("centered");
    assertThat(merged.getInt("variational/blocks.EncoderV2", "capacity")).isEqualTo(96);
    assertThat(merged.getInt("periods/discriminator.ConvNet", "capacity")).isEqualTo(96);
    assertThat(centered.getInt("CAPACITY")).isEqualTo(8); // the original is unchanged
    assertThat(merged.bindings()).hasSameSizeAs(centered.bindings());
  }
}
