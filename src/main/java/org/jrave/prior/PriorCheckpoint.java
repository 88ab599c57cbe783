package org.jrave.prior;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jrave.engine.Parameter;
import org.jrave.engine.Safetensors;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;

/**
 * Where prior training stands, in one safetensors file: the network ({@code network.}), the Adam
 * state ({@code optimizer.}, as {@link org.jrave.engine.Adam#state()} names it) and, in the
 * metadata, the next step and the position in the data. As for RAVE runs, torch's generator is
 * re-seeded from (seed, step) before every step and the loader derives its draws from
 * (seed, epoch, position), so these restore every random state too.
 */
public final class PriorCheckpoint {
  public static final String FORMAT = "jrave-prior-checkpoint";

  /** The next step to run, and the epoch and batch it reads. */
  public record Position(long step, int epoch, int batchInEpoch) {
    public static final Position START = new Position(0, 0, 0);

    public Position advance() {
      return new Position(step + 1, epoch, batchInEpoch + 1);
    }

    public Position nextEpoch() {
      return new Position(step, epoch + 1, 0);
    }
  }

  private PriorCheckpoint() {}

  public static void save(Path file, PriorNetwork network, PriorTrainer trainer, Position position) throws IOException {
    try (TensorScope scope = new TensorScope()) {
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      for (Map.Entry<String, Parameter> e : network.stateEntries().entrySet()) {
        tensors.put("network." + e.getKey(), e.getValue().value());
      }
      trainer.optimizer().state().forEach((k, v) -> tensors.put("optimizer." + k, v));
      Map<String, String> meta = new LinkedHashMap<>();
      meta.put("format", FORMAT);
      meta.put("step", Long.toString(position.step()));
      meta.put("epoch", Integer.toString(position.epoch()));
      meta.put("batch_in_epoch", Integer.toString(position.batchInEpoch()));
      Safetensors.write(file, tensors, meta); // creates the folder, replaces the file atomically
    }
  }

  /** Restores the network and the optimiser from {@code file}; returns where training was. */
  public static Position load(Path file, PriorNetwork network, PriorTrainer trainer) throws IOException {
    try (TensorScope scope = new TensorScope()) {
      Safetensors.Contents contents = Safetensors.read(file);
      Map<String, String> meta = contents.metadata();
      if (!FORMAT.equals(meta.get("format"))) {
        throw new IOException(file + " is not a prior training checkpoint");
      }
      try {
        network.loadStateDict(contents.section("network.")).requireComplete(file.toString());
        trainer.optimizer().loadState(contents.section("optimizer."));
        return new Position(Long.parseLong(meta.get("step")), Integer.parseInt(meta.get("epoch")),
            Integer.parseInt(meta.get("batch_in_epoch")));
      } catch (RuntimeException e) {
        throw new IOException(file + " does not fit this prior: " + e.getMessage(), e);
      }
    }
  }
}
