package org.jrave.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jrave.engine.Module;
import org.jrave.engine.Parameter;
import org.jrave.engine.Safetensors;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;

/**
 * A training checkpoint: one safetensors file holding everything a run needs to continue exactly —
 * model and discriminator state dicts, both Adam states, the EMA weights — under the prefixes
 * {@code model.}, {@code discriminator.}, {@code optimizer.generator.},
 * {@code optimizer.discriminator.} and {@code ema.}; the metadata holds the {@link Progress}.
 * Learning rates, beta and the phase are functions of the step ({@link Schedule}) and random draws
 * are seeded per step, so the step restores them too.
 */
public final class Checkpoint {

  public static final String FORMAT = org.jrave.model.io.JraveRun.CHECKPOINT_FORMAT;

  private Checkpoint() {}

  public static void save(Path file, Trainer trainer, Progress progress) throws IOException {
    try (TensorScope scope = new TensorScope()) {
      write(file, trainer, progress);
    }
  }

  private static void write(Path file, Trainer trainer, Progress progress) throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    put(tensors, "model.", trainer.model());
    put(tensors, "discriminator.", trainer.discriminator());
    trainer.generatorOptimizer().state().forEach((k, v) -> tensors.put("optimizer.generator." + k, v));
    trainer.discriminatorOptimizer().state().forEach((k, v) -> tensors.put("optimizer.discriminator." + k, v));
    if (trainer.ema() != null) {
      trainer.ema().state().forEach((k, v) -> tensors.put("ema." + k, v));
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("step", Long.toString(progress.step()));
    meta.put("epoch", Integer.toString(progress.epoch()));
    meta.put("batch_in_epoch", Integer.toString(progress.batchInEpoch()));
    meta.put("best_validation", Double.toString(progress.bestValidation()));
    meta.put("receptive_field", progress.receptiveField().left() + "," + progress.receptiveField().right());
    meta.put("phase", trainer.schedule().warmedUp(progress.step()) ? "2" : "1");
    Safetensors.write(file, tensors, meta);
  }

  private static void put(Map<String, Tensor> out, String prefix, Module module) {
    for (Map.Entry<String, Parameter> e : module.stateEntries().entrySet()) {
      out.put(prefix + e.getKey(), e.getValue().value());
    }
  }

  /** The training step {@code file} was saved at. */
  public static long step(Path file) throws IOException {
    try (TensorScope scope = new TensorScope()) {
      Map<String, String> meta = Safetensors.read(file).metadata();
      if (!FORMAT.equals(meta.get("format"))) {
        throw new IOException(file + " is not a jrave training checkpoint");
      }
      return Long.parseLong(meta.get("step"));
    }
  }

  /** Restores {@code trainer} from {@code file} and returns where the run was. */
  public static Progress load(Path file, Trainer trainer) throws IOException {
    try (TensorScope scope = new TensorScope()) {
      Safetensors.Contents contents = Safetensors.read(file);
      Map<String, String> meta = contents.metadata();
      if (!FORMAT.equals(meta.get("format"))) {
        throw new IOException(file + " is not a jrave training checkpoint");
      }
      trainer.model().loadStateDict(contents.section("model.")).requireComplete(file + " (model)");
      trainer.discriminator().loadStateDict(contents.section("discriminator.")).requireComplete(file + " (discriminator)");
      trainer.generatorOptimizer().loadState(contents.section("optimizer.generator."));
      trainer.discriminatorOptimizer().loadState(contents.section("optimizer.discriminator."));
      if (trainer.ema() != null) {
        trainer.ema().loadState(contents.section("ema."));
      }
      String[] rf = meta.get("receptive_field").split(",");
      ReceptiveField field = new ReceptiveField(Long.parseLong(rf[0]), Long.parseLong(rf[1]));
      trainer.setReceptiveField(field);
      return new Progress(Long.parseLong(meta.get("step")), Integer.parseInt(meta.get("epoch")),
          Integer.parseInt(meta.get("batch_in_epoch")), Double.parseDouble(meta.get("best_validation")), field);
    }
  }
}
