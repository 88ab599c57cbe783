package org.jrave.studio;

import java.io.IOException;
import java.nio.file.Path;
import org.jrave.demo.PretrainedDemoRun;
import org.jrave.train.RunFolder;

/** What the studio's tests play: the demo's small trained model (a real latent space, with its PCA). */
final class StudioFixtures {
  private StudioFixtures() {}

  /** The demo's pretrained checkpoint, copied into a run folder under {@code dir}. */
  static Path demoModel(Path dir) throws IOException {
    RunFolder run = new RunFolder(dir.resolve("demo-model"));
    PretrainedDemoRun.install(run, dir.resolve("no-database"), 0);
    return run.lastCheckpoint();
  }
}
