package org.jrave.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jrave.engine.Module;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveModel;
import org.jrave.train.LossWeights;
import org.jrave.train.StepReport;
import org.jrave.train.Trainer;
import org.jrave.train.discriminator.Discriminator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The golden README's proof of equality: the three recorded training steps replayed in float64
 * (weights, input and draws widened from the same float32 values, every window computed in
 * float64), the logged values against the reference's float64 run to 1e-12 relative and each
 * gradient ({@code grad_f64.*}) element by element. The float64 floor is about 6e-11 of absmax and the float32 storage of the golden
 * gradients adds 6e-8 relative, so an implementation that differs in anything but summation order
 * fails, where the float32 replay ({@link TrainingStepParityTest}) lets errors of a few percent
 * through in the phase-1 step.
 */
class TrainingStepFloat64ParityTest {

  /** README: logged values and the backpropagated loss of a float64 port, relative. */
  private static final double LOGGED_RELATIVE = 1e-12;
  /** README: {@code |port - golden| <= 3e-7 |golden| + 1e-9 absmax + 1e-15}, per element. */
  private static final double RELATIVE = 3e-7;
  private static final double OF_ABSMAX = 1e-9;
  private static final double ABSOLUTE = 1e-15;

  @ParameterizedTest
  @ValueSource(strings = {"step_a_phase1_gen", "step_b_phase2_gen", "step_c_phase2_dis"})
  void gradientsEqualTheReferenceFloat64Gradients(String step) {
    TrainingStepFile file = TrainingStepFile.load(step);
    try (RaveModel model = GoldenModels.load("v2n-c8");
        Discriminator discriminator = TrainingStepFile.startingDiscriminator(model);
        TensorScope scope = new TensorScope()) {
      Float64.convert(model);
      Float64.convert(discriminator);
      var training = model.config().training();
      try (Trainer trainer = TrainingStepFile.trainer(model, discriminator)) {
        trainer.setReceptiveField(file.receptiveField());
        ReplayedDraws draws = new ReplayedDraws(file.draws().stream()
            .map(d -> new ReplayedDraws.Recorded(d.name(), d.distribution(), d.values().toDouble())).toList());
        StepReport report = trainer.step(file.x().toDouble(), file.batchesBefore(), file.batchIndex(), draws);
        draws.requireAllConsumed();

        assertLoggedEqual(step, report, new LossWeights(training.weights()));
        Module updated = report.discriminatorStep() ? discriminator : model;
        assertGradientsEqual(step, updated, file.gradientsFloat64());
      }
    }
  }

  /** Every logged value and the backpropagated scalar, to the README's 1e-12 relative. */
  private static void assertLoggedEqual(String step, StepReport report, LossWeights weights) {
    Float64Log golden = Float64Log.of(step);
    double worst = 0;
    for (Map.Entry<String, Double> e : golden.logged().entrySet()) {
      worst = Math.max(worst, assertRelative(e.getKey(), LoggedTerms.value(report, e.getKey()), e.getValue()));
    }
    worst = Math.max(worst, assertRelative("loss_backward", LoggedTerms.backpropagated(report, weights),
        golden.lossBackward()));
    System.out.printf("  %s float64 logged values: largest relative error %.1e%n", step, worst);
  }

  private static double assertRelative(String name, double port, double golden) {
    double relative = Math.abs(port - golden) / Math.abs(golden);
    assertThat(relative).as(name + ": jrave " + port + ", reference " + golden).isLessThanOrEqualTo(LOGGED_RELATIVE);
    return relative;
  }

  private static void assertGradientsEqual(String step, Module updated, Map<String, Tensor> golden) {
    var params = updated.namedParameters();
    List<String> failures = new ArrayList<>();
    double worst = 0;
    for (Map.Entry<String, Tensor> e : golden.entrySet()) {
      Tensor grad = params.get(e.getKey()).value().grad();
      assertThat(grad).as(e.getKey() + " gradient").isNotNull();
      assertThat(grad.isDouble()).as(e.getKey() + " gradient in float64").isTrue();
      float[] port = grad.toFloatArray();
      float[] g = e.getValue().toFloatArray();
      double absmax = TensorErrors.of(g, new float[g.length]).maxAbs();
      for (int i = 0; i < g.length; i++) {
        double diff = Math.abs((double) port[i] - g[i]);
        double bound = RELATIVE * Math.abs(g[i]) + OF_ABSMAX * absmax + ABSOLUTE;
        worst = Math.max(worst, diff / bound);
        if (diff > bound && failures.size() < 20) {
          failures.add(String.format("%s[%d]: %.9g, reference %.9g", e.getKey(), i, port[i], g[i]));
        }
      }
    }
    System.out.printf("  %s float64 gradients: largest error %.2f of the bound%n", step, worst);
    assertThat(failures).as("float64 gradient elements beyond the bound").isEmpty();
  }
}
