package org.jrave.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jrave.engine.Module;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Parameter;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveModel;
import org.jrave.model.latent.VariationalEncoder;
import org.jrave.train.LossWeights;
import org.jrave.train.Schedule;
import org.jrave.train.StepReport;
import org.jrave.train.Trainer;
import org.jrave.train.discriminator.Discriminator;
import org.jrave.train.discriminator.Discriminators;
import org.junit.jupiter.api.Test;

/**
 * Replays the reference's three recorded training steps (golden README, "Training-step vectors")
 * through {@link Trainer#step}: same weights, input and random draws, then jrave's logged values,
 * forward values, gradients and updated parameters against the reference's, within the README's
 * float32 tolerances ({@link StepTolerances}).
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

  /** The reference's logged names, mapped to the names jrave's {@link StepReport} uses. */
  private static final Map<String, String> LOGGED_NAMES = Map.of(
      "beta_factor", "beta_factor",
      "loss_dis", "loss_dis",
      "pred_real", "pred_real",
      "pred_fake", "pred_fake",
      "multiband_spectral_distance", LossWeights.MULTIBAND,
      "fullband_spectral_distance", LossWeights.FULLBAND,
      "regularization", LossWeights.REGULARIZATION,
      "feature_matching", LossWeights.FEATURE_MATCHING,
      "adversarial", LossWeights.ADVERSARIAL);

  /**
   * The last 1x1 convolution's bias of every sub-discriminator: its gradient under the hinge loss is
   * exactly zero when every score lies in (-1, 1), so the reference's file holds float32 rounding
   * noise that Adam turns into an update of arbitrary sign (README: checked as |grad| <= 1e-7, and
   * the parameter counted among the allowed outliers).
   */
  private static final Set<String> ZERO_IN_EXACT_ARITHMETIC = Set.of(
      "discriminators.0.layers.0.net.8.bias", "discriminators.0.layers.1.net.8.bias",
      "discriminators.0.layers.2.net.8.bias", "discriminators.0.layers.3.net.8.bias",
      "discriminators.0.layers.4.net.8.bias", "discriminators.1.layers.0.net.8.bias",
      "discriminators.1.layers.1.net.8.bias", "discriminators.1.layers.2.net.8.bias");

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
        Discriminator discriminator = Discriminators.build(model.config());
        TensorScope scope = new TensorScope()) {
      discriminator.loadStateDict(TrainingStepFile.discriminatorWeights()).requireComplete("golden discriminator");
      var training = model.config().training();
      try (Trainer trainer = new Trainer(model, discriminator, Schedule.of(training, training.phase1Duration()), 0)) {
        trainer.setReceptiveField(file.receptiveField());
        assertForwardValues(file, model, discriminator, warmedUp);

        Map<String, float[]> generatorBefore = snapshot(model);
        Map<String, float[]> discriminatorBefore = snapshot(discriminator);
        ReplayedDraws draws = new ReplayedDraws(file.draws());
        StepReport report = trainer.step(file.x(), file.batchesBefore(), file.batchIndex(), draws);
        draws.requireAllConsumed();

        assertThat(report.warmedUp()).as("phase 2").isEqualTo(warmedUp);
        assertThat(report.discriminatorStep()).as("discriminator step").isEqualTo(update == Update.DISCRIMINATOR);
        String rate = update == Update.GENERATOR ? "lr_generator" : "lr_discriminator";
        assertThat((float) (double) report.values().get(rate)).as(rate).isEqualTo((float) file.learningRate());
        assertThat(report.values().get("beta_factor")).as("beta_factor").isCloseTo(file.betaFactor(),
            org.assertj.core.data.Percentage.withPercentage(1e-12));
        assertLogged(file, report, new LossWeights(training.weights()), update);

        Module updated = update == Update.GENERATOR ? model : discriminator;
        Module untouched = update == Update.GENERATOR ? discriminator : model;
        assertGradients(step, gradients(updated), file.gradients(), tol);
        assertParameters(step, updated, file, tol);
        assertUnchanged(untouched, update == Update.GENERATOR ? discriminatorBefore : generatorBefore);
        if (update == Update.GENERATOR && warmedUp) {
          assertFrozenEncoder(model, generatorBefore);
        }
      }
    }
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
      assertMaxOverAbsmax("fwd.kl", sample.regularization().reshape(1), file.forward().get("kl"), StepTolerances.ENCODER_FORWARD);
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
   * Every value the reference logged, under jrave's name, and the backpropagated scalar: the
   * generator total rebuilt from jrave's logged terms with the reference's second weighting
   * ({@link LossWeights#second}), or {@code loss_dis} in a discriminator step.
   */
  private static void assertLogged(TrainingStepFile file, StepReport report, LossWeights weights, Update update) {
    Map<String, Double> values = report.values();
    file.logged().forEach((name, golden) -> {
      String ours = LOGGED_NAMES.get(name);
      assertThat(ours).as("jrave's name for the logged " + name).isNotNull();
      assertThat(values).as("jrave logs " + ours).containsKey(ours);
      assertRelative("log." + name, values.get(ours), golden);
    });
    double backpropagated;
    if (update == Update.DISCRIMINATOR) {
      backpropagated = values.get("loss_dis");
    } else {
      backpropagated = 0;
      for (String term : List.of(LossWeights.MULTIBAND, LossWeights.FULLBAND, LossWeights.REGULARIZATION,
          LossWeights.FEATURE_MATCHING, LossWeights.ADVERSARIAL)) {
        if (values.containsKey(term)) {
          backpropagated += values.get(term) * weights.second(term);
        }
      }
    }
    assertRelative("loss_backward", backpropagated, file.lossBackward());
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

  /** The gradient of every parameter of {@code module} that got one, by state_dict name. */
  private static Map<String, Tensor> gradients(Module module) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    module.namedParameters().forEach((name, p) -> {
      Tensor g = p.value().grad();
      if (g != null) {
        out.put(name, g);
      }
    });
    return out;
  }

  private static void assertGradients(String step, Map<String, Tensor> port, Map<String, Tensor> golden,
      StepTolerances tol) {
    assertThat(port.keySet()).as("parameters with a gradient").containsExactlyInAnyOrderElementsOf(golden.keySet());
    double worstMax = 0;
    double worstL2 = 0;
    String worstMaxName = "";
    String worstL2Name = "";
    double err2 = 0;
    double ref2 = 0;
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : golden.entrySet()) {
      String name = e.getKey();
      float[] p = port.get(name).toFloatArray();
      float[] g = e.getValue().toFloatArray();
      TensorErrors errors = TensorErrors.of(p, g);
      err2 += errors.errorL2() * errors.errorL2();
      ref2 += errors.goldenL2() * errors.goldenL2();
      if (ZERO_IN_EXACT_ARITHMETIC.contains(name)) {
        double largest = TensorErrors.of(p, new float[p.length]).maxAbs();
        if (largest > StepTolerances.ZERO_GRADIENT) {
          failures.add(String.format("%s: |grad| %.2e, want <= %.0e (zero in exact arithmetic)", name, largest,
              StepTolerances.ZERO_GRADIENT));
        }
        continue;
      }
      if (errors.maxOverAbsmax() > worstMax) {
        worstMax = errors.maxOverAbsmax();
        worstMaxName = name;
      }
      if (errors.relativeL2() > worstL2) {
        worstL2 = errors.relativeL2();
        worstL2Name = name;
      }
      if (errors.maxOverAbsmax() > tol.gradMaxOverAbsmax() || errors.relativeL2() > tol.gradRelL2()) {
        failures.add(String.format("%s: max/absmax %.2e (<= %.2e), relative L2 %.2e (<= %.2e)", name,
            errors.maxOverAbsmax(), tol.gradMaxOverAbsmax(), errors.relativeL2(), tol.gradRelL2()));
      }
    }
    double overall = Math.sqrt(err2 / ref2);
    System.out.printf("  %s gradients: worst max/absmax %.2e (%s), worst relative L2 %.2e (%s), all together %.2e%n",
        step, worstMax, worstMaxName, worstL2, worstL2Name, overall);
    assertThat(failures).as("gradients beyond tolerance").isEmpty();
    assertThat(overall).as("relative L2 error of all gradients together").isLessThanOrEqualTo(tol.gradRelL2Overall());
  }

  /**
   * Parameters after the Adam step: every element within {@code 2 lr + 2e-7 |golden|}, and all but the
   * allowed outliers within {@code 1e-3 lr + 2e-7 |golden|} (Adam's first step is about
   * {@code -lr sign(g)}, so a gradient near zero may flip an update's sign).
   */
  private static void assertParameters(String step, Module updated, TrainingStepFile file, StepTolerances tol) {
    Map<String, Parameter> params = updated.namedParameters();
    double lr = file.learningRate();
    long elements = 0;
    long outliers = 0;
    double worst = 0;
    for (Map.Entry<String, Tensor> e : file.parametersAfter().entrySet()) {
      Parameter p = params.get(e.getKey());
      assertThat(p).as("jrave parameter for " + e.getKey()).isNotNull();
      float[] port = p.value().toFloatArray();
      float[] golden = e.getValue().toFloatArray();
      for (int i = 0; i < golden.length; i++) {
        double diff = Math.abs((double) port[i] - golden[i]);
        double relativePart = 2e-7 * Math.abs(golden[i]);
        assertThat(diff).as("%s[%d] after the step", e.getKey(), i).isLessThanOrEqualTo(2 * lr + relativePart);
        if (diff > 1e-3 * lr + relativePart) {
          outliers++;
        }
        worst = Math.max(worst, diff);
      }
      elements += golden.length;
    }
    System.out.printf("  %s parameters: %d of %d elements beyond 1e-3 lr, largest difference %.2f lr%n",
        step, outliers, elements, worst / lr);
    assertThat(outliers).as("parameter elements beyond 1e-3 lr of the reference's update")
        .isLessThanOrEqualTo(tol.allowedParamOutliers(elements));
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
