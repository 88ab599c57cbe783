package org.jrave.golden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrave.engine.Safetensors;
import org.jrave.engine.Tensor;
import org.jrave.golden.ReplayedDraws.Distribution;
import org.jrave.model.RaveModel;
import org.jrave.train.ReceptiveField;
import org.jrave.train.Schedule;
import org.jrave.train.Trainer;
import org.jrave.train.discriminator.Discriminator;
import org.jrave.train.discriminator.Discriminators;

/**
 * One recorded training step of the reference ({@code golden/train-v2n-c8/step_*.safetensors},
 * golden README "Training-step vectors"): its input and draws, what it logged, its forward values,
 * and per updated parameter the gradient and the value after the Adam step (in the optimiser's
 * order, named as in the module that the step updates: {@link RaveModel} state_dict names for a
 * generator step, the names inside jrave's {@link org.jrave.train.discriminator.Discriminator} for a
 * discriminator step, which the reference's state_dict prefixes with {@code discriminator.}).
 */
record TrainingStepFile(
    Tensor x,
    ReceptiveField receptiveField,
    List<ReplayedDraws.Recorded> draws,
    Map<String, Double> logged,
    double lossBackward,
    Map<String, Tensor> forward,
    Map<String, Tensor> gradients,
    Map<String, Tensor> gradientsFloat64,
    Map<String, Tensor> parametersAfter,
    long batchesBefore,
    long batchIndex,
    double betaFactor,
    double learningRate) {

  static final String FOLDER = "train-v2n-c8/";
  private static final String DISCRIMINATOR = "discriminator.";

  static TrainingStepFile load(String step) {
    Safetensors.Contents c = read(FOLDER + step + ".safetensors");
    Map<String, Tensor> t = c.tensors();
    long[] rf = t.get("receptive_field").toLongArray();
    Map<String, Double> logged = new LinkedHashMap<>();
    c.section("log.").forEach((name, v) -> logged.put(name, (double) v.item()));
    Map<String, String> meta = c.metadata();
    return new TrainingStepFile(
        t.get("x"),
        new ReceptiveField(rf[0], rf[1]),
        List.of(new ReplayedDraws.Recorded("draw_000", Distribution.NORMAL, t.get("draw_000")),
            new ReplayedDraws.Recorded("draw_001", Distribution.UNIFORM, t.get("draw_001"))),
        logged,
        t.get("loss_backward").item(),
        c.section("fwd."),
        inUpdatedModule(c.section("grad.")),
        inUpdatedModule(c.section("grad_f64.")),
        inUpdatedModule(c.section("param.")),
        Long.parseLong(meta.get("batches_before")),
        Long.parseLong(meta.get("batch_idx")),
        Double.parseDouble(meta.get("beta_factor")),
        Double.parseDouble(meta.get("lr")));
  }

  /** The discriminator of {@code model}'s configuration at the reference's starting weights (shared by the three steps). */
  static Discriminator startingDiscriminator(RaveModel model) {
    Discriminator discriminator = Discriminators.build(model.config());
    try {
      discriminator.loadStateDict(read(FOLDER + "disc_weights.safetensors").section(DISCRIMINATOR))
          .requireComplete("golden discriminator");
      return discriminator;
    } catch (RuntimeException e) {
      discriminator.close();
      throw e;
    }
  }

  /** A trainer of the recorded steps: the configuration's own schedule, no weight averaging. */
  static Trainer trainer(RaveModel model, Discriminator discriminator) {
    var training = model.config().training();
    return new Trainer(model, discriminator, Schedule.of(training, training.phase1Duration()), 0);
  }

  private static Map<String, Tensor> inUpdatedModule(Map<String, Tensor> stateDict) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    stateDict.forEach((name, t) -> out.put(name.startsWith(DISCRIMINATOR) ? name.substring(DISCRIMINATOR.length()) : name, t));
    return out;
  }

  private static Safetensors.Contents read(String relative) {
    try {
      return Safetensors.read(Golden.requireRoot().resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
