package org.jrave.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jrave.data.LoaderConfig;
import org.jrave.data.transform.Augmentation;
import org.jrave.data.transform.SignalOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSettingsTest {

  @TempDir Path dir;

  @Test
  void aRunJsonFromBeforeTheDataOptionsResumesWithTheDefaults() throws Exception {
    Files.writeString(dir.resolve("run.json"), """
        {"db":"/data/db","presets":["v2"],"overrides":["capacity=4"],"batch":2,"nSignal":8192,"maxSteps":8,
         "valEvery":3,"saveEvery":0,"phase1Duration":4,"seed":0,"ema":0.0,"logEvery":10,"workers":1,
         "deterministic":true}
        """);
    RunSettings s = new RunFolder(dir).readSettings();
    assertThat(s.channels()).isZero();
    assertThat(s.precision()).isEqualTo(org.jrave.engine.Precision.FP32);
    assertThat(s.augmentations()).isEmpty();
    assertThat(s.signal()).isEqualTo(SignalOptions.NONE);
    assertThat(s.loader().augmentations()).isEqualTo(LoaderConfig.REFERENCE_DEFAULT);
  }

  @Test
  void dataOptionsRoundTripThroughRunJson() throws Exception {
    RunSettings s = new RunSettings("/data/db", List.of("v2"), List.of(), 2, 8192, 8, 3, 0, 4, 0, 0, 10, 1, true, 2,
        List.of(Augmentation.COMPRESS, Augmentation.MUTE), new SignalOptions(0.5, 2, false, true),
        org.jrave.engine.Precision.BF16);
    Files.writeString(dir.resolve("run.json"), RunFolder.settingsJson(s));
    RunSettings back = new RunFolder(dir).readSettings();
    assertThat(back).isEqualTo(s);
    assertThat(back.withMaxSteps(100).signal()).isEqualTo(s.signal());
    assertThat(back.withMaxSteps(100).precision()).isEqualTo(org.jrave.engine.Precision.BF16);
    assertThat(back.withDataset("/elsewhere").precision()).isEqualTo(org.jrave.engine.Precision.BF16);
  }
}
