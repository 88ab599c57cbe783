package org.jrave.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jrave.model.blocks.PaddingMode;
import org.jrave.model.config.EncoderV2Config;
import org.jrave.model.config.LatentConfig;
import org.jrave.model.config.RaveConfig;
import org.jrave.train.RunFolder;
import org.jrave.train.RunSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jrave train --override} with the reference's gin macros and bindings, and {@code --config}
 * with a user's gin file: the configuration is built, nothing is trained.
 */
class TrainGinOptionsTest {

  @TempDir Path tmp;

  /** The train command with these options parsed, as it is before it runs. */
  private TrainCommand train(String... options) {
    List<String> args = new ArrayList<>(List.of("train", "--db", tmp.resolve("db").toString(), "--name", "x",
        "--out", tmp.resolve("runs").toString()));
    args.addAll(List.of(options));
    return (TrainCommand) JraveMain.commandLine().parseArgs(args.toArray(String[]::new)).subcommand().commandSpec()
        .userObject();
  }

  @Test
  void theReferencesMacrosChangeTheConfiguration() {
    RaveConfig c = train("--override", "PHASE_1_DURATION=200000", "--override", "CAPACITY=32", "--override", "N_BAND=8")
        .configure();
    assertThat(c.training().phase1Duration()).isEqualTo(200_000);
    assertThat(((EncoderV2Config) c.encoder()).capacity()).isEqualTo(32);
    assertThat(c.bands()).isEqualTo(8);
  }

  @Test
  void jravesKeysAndGinBindingsMixAndGinComesLast() {
    RaveConfig c = train("--config", "v2", "--config", "causal", "--override", "capacity=16", "--override",
        "VariationalEncoder.beta=0.5", "--override", "variational/blocks.EncoderV2.latent_size=12").configure();
    assertThat(((EncoderV2Config) c.encoder()).capacity()).isEqualTo(16);
    assertThat(((EncoderV2Config) c.encoder()).latentSize()).isEqualTo(12);
    assertThat(c.latent()).isEqualTo(new LatentConfig.Variational(0.5));
    assertThat(c.padding()).isEqualTo(PaddingMode.CAUSAL);
  }

  @Test
  void aGinFileIncludesPresetsAndAddsItsOwnBindings() throws Exception {
    Path gin = Files.writeString(tmp.resolve("my.gin"), """
        include 'v2.gin'
        include 'causal.gin'
        CAPACITY = 24
        PHASE_1_DURATION = 300000
        """);
    TrainCommand command = train("--config", gin.toString(), "--override", "CAPACITY=40");
    RaveConfig c = command.configure();
    assertThat(c.padding()).isEqualTo(PaddingMode.CAUSAL);
    assertThat(((EncoderV2Config) c.encoder()).capacity()).as("--override comes after the file").isEqualTo(40);
    assertThat(c.training().phase1Duration()).isEqualTo(300_000);
  }

  @Test
  void theOverridesAndTheGinFileAreKeptInTheRunsSettingsAndTheResumedConfiguration() throws Exception {
    Path gin = Files.writeString(tmp.resolve("mine.gin"), "include 'v2.gin'\nLATENT_SIZE = 8\n");
    TrainCommand command = train("--config", gin.toString(), "--override", "PHASE_1_DURATION=200000");
    RunFolder run = new RunFolder(tmp.resolve("runs/x"));
    run.create(command.newRunSettings(), command.configure());

    RunSettings saved = run.readSettings();
    assertThat(saved.presets()).containsExactly(gin.toAbsolutePath().toString());
    assertThat(saved.overrides()).containsExactly("PHASE_1_DURATION=200000");
    // --resume continues with the run's configuration.json, which holds what the overrides made.
    RaveConfig resumed = run.readConfig();
    assertThat(resumed.training().phase1Duration()).isEqualTo(200_000);
    assertThat(resumed.latentSize()).isEqualTo(8);
  }

  @Test
  void mistakesAreOneLineUserErrors() throws Exception {
    Path broken = Files.writeString(tmp.resolve("broken.gin"), "include 'v2.gin'\nCAPACITY = = 3\n");
    Path hybrid = Files.writeString(tmp.resolve("h.gin"), "include 'hybrid.gin'\n");
    Path unknown = Files.writeString(tmp.resolve("u.gin"), "include 'v2.gin'\n\nscales/ConvNet.n_layers = 3\n");
    Path wrongType = Files.writeString(tmp.resolve("t.gin"), "include 'v2.gin'\nN_BAND = 'sixteen'\n");
    String[][] cases = {
        {"--override", "CAPACTY=32"},
        {"--override", "EncoderV2.capacty=32"},
        {"--override", "CAPACITY=big"},
        {"--override", "CAPACITY='big'"},
        {"--override", "get_padding.mode=causal"},
        {"--config", tmp.resolve("missing.gin").toString()},
        {"--config", broken.toString()},
        {"--config", hybrid.toString()},
        {"--config", unknown.toString()},
        {"--config", wrongType.toString()},
        {"--config", "v2", "--override", "PHASE_1_DURATION=10", "--phase1", "20"},
    };
    String[] expected = {
        "--override CAPACTY=32: jrave does not use the macro CAPACTY; did you mean CAPACITY?",
        "--override EncoderV2.capacty=32: jrave does not read EncoderV2.capacty; did you mean EncoderV2.capacity?",
        "--override CAPACITY=big:1:10: unexpected name 'big'",
        "CAPACITY (--override CAPACITY='big') takes an int (the configuration's is 96), not string 'big'",
        "unexpected name 'causal'",
        "gin file " + tmp.resolve("missing.gin") + " does not exist",
        broken + ":2:12: ",
        hybrid + ":1:9: include 'hybrid.gin': jrave has no equivalent of the reference's hybrid.gin",
        unknown + ":3: jrave does not read scales/ConvNet.n_layers",
        "N_BAND (gin file " + wrongType + ") takes an int (the configuration's is 16), not string 'sixteen'",
        "the length of phase 1 is given twice: use --phase1 20 or --override PHASE_1_DURATION=N, not both",
    };
    for (int i = 0; i < cases.length; i++) {
      String[] options = cases[i];
      assertThatThrownBy(() -> train(options).configure()).as(String.join(" ", options))
          .isInstanceOf(UserError.class).hasMessageContaining(expected[i]).message().doesNotContain("\n");
    }
    CliRunner cli = CliRunner.run("train", "--db", tmp.resolve("db").toString(), "--name", "x", "--out",
        tmp.resolve("runs").toString(), "--override", "N_BANDS=8");
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err().strip()).contains("did you mean N_BAND?").doesNotContain("\n").doesNotContain("Exception");
    assertThat(tmp.resolve("runs/x")).doesNotExist();
  }
}
