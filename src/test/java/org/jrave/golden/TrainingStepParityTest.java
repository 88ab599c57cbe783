package org.jrave.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Percentage;
import org.jrave.engine.Module;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveModel;
import org.jrave.model.latent.VariationalEncoder;
import org.jrave.train.LossWeights;
import org.jrave.train.StepReport;
import org.jrave.train.Trainer;
import org.jrave.train.discriminator.Discriminator;
import org.junit.jupiter.api.Test;

/**
 * Replays the reference's three recorded training steps (golden README, "Training-step vectors")
 * through {@link Trainer#step}: same weights, input and random draws, then jrave's logged values,
 * forward values, gradients and updated parameters against the reference's, within the README's
 * float32 tolerances ({@link StepTolerances}). These catch structural errors; the element-wise proof
 * of equality is the float64 replay, {@link TrainingStepFloat64ParityTest}.
 *
 * <p>jrave's deliberate differences from the reference (docs/training.md) and why none of them
 * changes what is compared here:
 *
 * <ul>
 *   <li>Phase 2 freezes the encoder (no gradient tracking, parameters stop requiring gradients); the
 *       reference detaches its output. Either way no gradient reaches it, and Adam (fresh, as in the
 *       files) skips parameters without a gradient: step b checks the encoder stays exactly W0 and
 *       has no gradient, as the reference's {@code unchanged_params}.
 *   <li>A discriminator step runs the generator without gradient tracking; the reference
 *       backpropagates {@code loss_dis} into the decoder and discards the result (never stored).
 *       The discriminator's inputs are the same values, so its gradients are the same; step c
 *       checks the generator is untouched.
 *   <li>The discriminator's parameters do not require gradients during generator steps; the
 *       reference computes and discards them (never stored). Step b checks the discriminator is
 *       untouched.
 *   <li>The multiband crop divides the receptive field by the bands, the reference by bands x
 *       channels: the same for this mono model.
 * </ul>
 */
class TrainingStepParityTest {

  @Test
  void phase1GeneratorStepMatchesTheReference() {
    replay("step_a_phase1_gen", Update.GENERATOR, false, StepTolerances.PHASE1_GENERATOR);
  }

  @Test
  void phase2GeneratorStepMatchesTheReference() {
    replay("step_b_phase2_gen", Update.GENERATOR, true, StepTolerances.PHASE2_GENERATOR);
  }

  @Test
  void phase2DiscriminatorStepMatchesTheReference() {
    replay("step_c_phase2_dis", Update.DISCRIMINATOR, true, StepTolerances.PHASE2_DISCRIMINATOR);
  }

  private enum Update { GENERATOR, DISCRIMINATOR }

  private static void replay(String step, Update update, boolean warmedUp, StepTolerances tol) {
    TrainingStepFile file = TrainingStepFile.load(step);
    try (RaveModel model = GoldenModels.load("v2n-c8");
        Discriminator discriminator = TrainingStepFile.startingDiscriminator(model);
        TensorScope scope = new TensorScope()) {
      try (Trainer trainer = TrainingStepFile.trainer(model, discriminator)) {
        trainer.setReceptiveField(file.receptiveField());
        assertForwardValues(file, model, discriminator, warmedUp);

        Map<String, float[]> generatorBefore = snapshot(model);
        Map<String, float[]> discriminatorBefore = snapshot(discriminator);
        ReplayedDraws draws = new ReplayedDraws(file.draws());
        StepReport report = trainer.step(file.x(), file.batchesBefore(), file.batchIndex(), draws);
        draws.requireAllConsumed();

        assertDecisions(file, report, update, warmedUp);
        assertLogged(file, report, new LossWeights(model.config().training().weights()));

        Module updated = update == Update.GENERATOR ? model : discriminator;
        Module untouched = update == Update.GENERATOR ? discriminator : model;
        StepUpdateChecks.assertGradients(step + " vs float32", updated, file.gradients(), tol);
        // The README's tolerances are about 5x the reference's own float32-vs-float64 distance, so a
        // float32 port must be as close to the float64 gradients: this shows jrave's float32 noise
        // is no larger than the reference's, not merely different.
        StepUpdateChecks.assertGradients(step + " vs float64", updated, file.gradientsFloat64(), tol);
        StepUpdateChecks.assertParameters(step, updated, file.parametersAfter(), file.learningRate(), tol);
        assertUnchanged(untouched, update == Update.GENERATOR ? discriminatorBefore : generatorBefore);
        if (update == Update.GENERATOR && warmedUp) {
          assertFrozenEncoder(model, generatorBefore);
        }
      }
    }
  }

  /**
   * What the schedule decided for the step's {@code (n, batch_idx)}: the phase, which side learns,
   * its learning rate and the KL weight. The reference's generator rate at n = 1,000,000 is
   * 1.0000000000105136e-4 (a chain of multiplicative updates), jrave's 1e-3 x (1 - 0.9) =
   * 9.999999999999998e-5: the same float32 number, which is what Adam uses.
   */
  private static void assertDecisions(TrainingStepFile file, StepReport report, Update update, boolean warmedUp) {
    assertThat(report.warmedUp()).as("phase 2").isEqualTo(warmedUp);
    assertThat(report.discriminatorStep()).as("discriminator step").isEqualTo(update == Update.DISCRIMINATOR);
    String rate = update == Update.GENERATOR ? "lr_generator" : "lr_discriminator";
    assertThat((float) (double) report.values().get(rate)).as(rate).isEqualTo((float) file.learningRate());
    assertThat(report.values().get("beta_factor")).as("beta_factor")
        .isCloseTo(file.betaFactor(), Percentage.withPercentage(1e-12));
  }

  /**
   * The step's forward values, recomputed from the same weights, input and draws: the encoder output,
   * the latent sample and its KL term, and in phase 2 the discriminator's score maps on
   * {@code [x ; y]}. They localise a failure before the gradients are compared.
   */
  private static void assertForwardValues(TrainingStepFile file, RaveModel model, Discriminator discriminator,
      boolean warmedUp) {
    try (NoGrad ng = NoGrad.enter(); TensorScope scope = new TensorScope()) {
      Tensor raw = model.encodeRaw(file.x());
      assertMaxOverAbsmax("fwd.enc_raw", raw, file.forward().get("enc_raw"), StepTolerances.ENCODER_FORWARD);
      var sample = ((VariationalEncoder) model.encoder()).reparametrize(raw, file.draws().get(0).values());
      assertMaxOverAbsmax("fwd.z", sample.z(), file.forward().get("z"), StepTolerances.ENCODER_FORWARD);
      // The files store scalars with shape [1].
      assertMaxOverAbsmax("fwd.kl", sample.regularization().reshape(1), file.forward().get("kl"),
          StepTolerances.ENCODER_FORWARD);
      if (!warmedUp) {
        return;
      }
      Tensor u = file.draws().get(1).values();
      Tensor y = model.decode(sample.z(), (device, shape) -> {
        assertThat(shape).as("decoder noise [batch, noise frame, band, tap]").containsExactly(u.shape());
        return u;
      });
      List<List<Tensor>> scales = discriminator.features(Tensor.cat(List.of(file.x(), y), 0));
      assertThat(scales).as("sub-discriminators").hasSize(8);
      for (int k = 0; k < scales.size(); k++) {
        assertMaxOverAbsmax("fwd.disc_score." + k, scales.get(k).getLast(), file.forward().get("disc_score." + k),
            StepTolerances.DISCRIMINATOR_SCORES);
      }
    }
  }

  /**
   * Every value the reference logged, under jrave's name ({@link LoggedTerms}), and the
   * backpropagated scalar.
   */
  private static void assertLogged(TrainingStepFile file, StepReport report, LossWeights weights) {
    file.logged().forEach((name, golden) -> assertRelative("log." + name, LoggedTerms.value(report, name), golden));
    assertRelative("loss_backward", LoggedTerms.backpropagated(report, weights), file.lossBackward());
  }

  private static void assertRelative(String name, double port, double golden) {
    double relative = Math.abs(port - golden) / Math.abs(golden);
    System.out.printf("  %-40s port %.9g golden %.9g relative %.2e%n", name, port, golden, relative);
    assertThat(relative).as(name + ": jrave " + port + ", reference " + golden)
        .isLessThanOrEqualTo(StepTolerances.LOGGED_RELATIVE);
  }

  private static void assertMaxOverAbsmax(String name, Tensor port, Tensor golden, double tolerance) {
    assertThat(port.shape()).as(name + " shape").containsExactly(golden.shape());
    TensorErrors e = TensorErrors.of(port.toFloatArray(), golden.toFloatArray());
    System.out.printf("  %-40s max/absmax %.2e%n", name, e.maxOverAbsmax());
    assertThat(e.maxOverAbsmax()).as(name + " max abs error / absmax").isLessThanOrEqualTo(tolerance);
  }

  /** Phase 2's frozen encoder: no gradient and the starting weights, bit for bit. */
  private static void assertFrozenEncoder(RaveModel model, Map<String, float[]> before) {
    model.encoder().namedParameters().forEach((name, p) -> assertThat(p.value().grad()).as(name + " gradient").isNull());
    assertUnchanged(model.encoder(), snapshotWithPrefix(before, "encoder."));
  }

  private static void assertUnchanged(Module module, Map<String, float[]> before) {
    snapshot(module).forEach((name, values) -> assertThat(values).as(name + " untouched").containsExactly(before.get(name)));
  }

  private static Map<String, float[]> snapshot(Module module) {
    Map<String, float[]> out = new LinkedHashMap<>();
    module.namedParameters().forEach((name, p) -> out.put(name, p.value().toFloatArray()));
    return out;
  }

  private static Map<String, float[]> snapshotWithPrefix(Map<String, float[]> all, String prefix) {
    Map<String, float[]> out = new LinkedHashMap<>();
    all.forEach((name, v) -> {
      if (name.startsWith(prefix)) {
        out.put(name.substring(prefix.length()), v);
      }
    });
    return out;
  }
}
