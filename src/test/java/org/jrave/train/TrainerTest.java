package org.jrave.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.jrave.engine.Engine;
import org.jrave.engine.Module;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Parameter;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.RaveConfig;
import org.jrave.model.noise.NoiseSource;
import org.jrave.train.discriminator.Discriminator;
import org.jrave.train.discriminator.Discriminators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

  private static final int N = 8192;

  @TempDir Path tmp;

  @Test
  void phaseTwoFreezesTheEncoderAndAlternatesDiscriminatorAndGeneratorUpdates() throws Exception {
    Engine.manualSeed(3);
    RaveConfig config = TinyModels.v2(0);
    float[] audio = TinyModels.tabla(tmp);
    try (RaveModel model = RaveFactory.build(config);
        Discriminator d = Discriminators.build(config);
        Trainer trainer = new Trainer(model, d, Schedule.of(config.training(), 0), 0);
        TensorScope scope = new TensorScope()) {
      Map<String, float[]> encoder0 = snapshot(model.encoder());
      Map<String, float[]> decoder0 = snapshot((Module) model.decoder());
      Map<String, float[]> dis0 = snapshot(d);

      // Batch 0 of the epoch: discriminator step only.
      StepReport first = trainer.step(batch(audio, new Random(1)), 0, 0);
      assertThat(first.discriminatorStep()).isTrue();
      // Both sides' losses are logged whichever side learns, as the reference logs them.
      assertThat(first.values()).containsKeys("loss_dis", "pred_real", "pred_fake", LossWeights.FEATURE_MATCHING,
          LossWeights.ADVERSARIAL);
      assertThat(snapshot((Module) model.decoder())).allSatisfy((k, v) -> assertThat(v).isEqualTo(decoder0.get(k)));
      Map<String, float[]> dis1 = snapshot(d);
      assertThat(changed(dis0, dis1)).isTrue();

      // Batch 1: generator step with feature matching and adversarial terms; discriminator untouched.
      StepReport second = trainer.step(batch(audio, new Random(2)), 1, 1);
      assertThat(second.discriminatorStep()).isFalse();
      assertThat(second.values()).containsKeys(LossWeights.FEATURE_MATCHING, LossWeights.ADVERSARIAL, "loss_dis");
      assertThat(changed(decoder0, snapshot((Module) model.decoder()))).isTrue();
      assertThat(snapshot(d)).allSatisfy((k, v) -> assertThat(v).isEqualTo(dis1.get(k)));

      // The encoder never moved and never had a gradient computed.
      assertThat(snapshot(model.encoder())).allSatisfy((k, v) -> assertThat(v).isEqualTo(encoder0.get(k)));
      for (Parameter p : model.encoder().namedParameters().values()) {
        assertThat(p.value().grad()).isNull();
        assertThat(p.value().requiresGrad()).isFalse();
      }
      // No gradient was computed for the discriminator during the generator step either: its
      // parameters are frozen while the generator learns.
      for (Parameter p : d.namedParameters().values()) {
        assertThat(p.value().requiresGrad()).isFalse();
      }
    }
  }

  @Test
  void reconstructionDistanceFallsWhenTrainingOnRealAudio() throws Exception {
    Engine.manualSeed(5);
    RaveConfig config = TinyModels.v2(1_000_000);
    float[] audio = TinyModels.tabla(tmp);
    // Hold out the last second of the clip; train on random crops of the rest.
    int heldOut = 44100;
    float[] train = java.util.Arrays.copyOf(audio, audio.length - heldOut);
    float[] test = java.util.Arrays.copyOfRange(audio, audio.length - heldOut, audio.length - heldOut + 4 * N);
    try (RaveModel model = RaveFactory.build(config);
        Discriminator d = Discriminators.build(config);
        Trainer trainer = new Trainer(model, d, Schedule.of(config.training(), 1_000_000), 0)) {
      double before = heldOutDistance(trainer, test);
      Random random = new Random(7);
      for (int step = 0; step < 60; step++) {
        try (TensorScope scope = new TensorScope()) {
          trainer.step(batch(train, random), step, step);
        }
      }
      double after = heldOutDistance(trainer, test);
      assertThat(after).as("held-out distance before %.3f, after %.3f", before, after).isLessThan(0.85 * before);
    }
  }

  private static double heldOutDistance(Trainer trainer, float[] test) {
    RaveModel model = trainer.model();
    model.eval();
    try (TensorScope scope = new TensorScope(); NoGrad ignored = NoGrad.enter()) {
      Tensor x = Tensor.fromFloats(test, 4, 1, N);
      Tensor y = model.decode(model.encoder().deterministic(model.encodeRaw(x)), NoiseSource.SILENT);
      return trainer.distance().distance(x, y).item();
    } finally {
      model.train(true);
    }
  }

  private static Tensor batch(float[] audio, Random random) {
    float[] out = new float[4 * N];
    for (int b = 0; b < 4; b++) {
      System.arraycopy(audio, random.nextInt(audio.length - N), out, b * N, N);
    }
    return Tensor.fromFloats(out, 4, 1, N);
  }

  private static Map<String, float[]> snapshot(Module m) {
    Map<String, float[]> out = new LinkedHashMap<>();
    m.namedParameters().forEach((k, p) -> out.put(k, p.value().detach().toFloatArray()));
    return out;
  }

  private static boolean changed(Map<String, float[]> a, Map<String, float[]> b) {
    return a.keySet().stream().anyMatch(k -> !java.util.Arrays.equals(a.get(k), b.get(k)));
  }
}
