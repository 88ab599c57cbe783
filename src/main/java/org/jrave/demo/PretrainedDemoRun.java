package org.jrave.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jrave.model.config.RaveConfig;
import org.jrave.model.io.ConfigJson;
import org.jrave.train.Checkpoint;
import org.jrave.train.RunFolder;
import org.jrave.train.RunSettings;

/**
 * The small model jrave ships for its demo: a tiny v2 (capacity 8, 16 latent dimensions) trained by
 * {@code jrave train} on the three bundled clips, both phases (see docs/demo.md for its settings and
 * the command that retrains it). It is kept as a run's last training checkpoint, so that the demo
 * continues its training like any resumed run.
 */
public final class PretrainedDemoRun {
  private static final String ROOT = "/org/jrave/demo/pretrained/";

  private PretrainedDemoRun() {}

  /** What {@link #install} set up: the run's settings and configuration, and the checkpoint's step. */
  public record Installed(RunSettings settings, RaveConfig config, long pretrainedStep) {}

  /**
   * Makes {@code run} a copy of the pretrained run that reads {@code db} and trains {@code moreSteps}
   * steps past the checkpoint.
   */
  public static Installed install(RunFolder run, Path db, long moreSteps) throws IOException {
    RunSettings pretrained;
    RaveConfig config;
    try (InputStream settings = resource("run.json"); InputStream cfg = resource("config.json")) {
      pretrained = RunFolder.settingsFromJson(new String(settings.readAllBytes(), StandardCharsets.UTF_8));
      config = ConfigJson.read(new String(cfg.readAllBytes(), StandardCharsets.UTF_8));
    }
    Files.createDirectories(run.checkpoints());
    copy("last.ckpt", run.lastCheckpoint());
    long step = Checkpoint.step(run.lastCheckpoint());
    RunSettings settings = pretrained.withDataset(db.toAbsolutePath().toString()).withMaxSteps(step + moreSteps);
    run.create(settings, config);
    return new Installed(settings, config, step);
  }

  private static void copy(String name, Path target) throws IOException {
    try (InputStream in = resource(name)) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = PretrainedDemoRun.class.getResourceAsStream(ROOT + name);
    if (in == null) {
      throw new IllegalStateException("the jrave jar is missing its pretrained demo model (" + ROOT + name + ")");
    }
    return in;
  }
}
