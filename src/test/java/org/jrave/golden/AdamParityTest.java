package org.jrave.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.jrave.engine.Adam;
import org.jrave.engine.Module;
import org.jrave.engine.Parameter;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveModel;
import org.jrave.train.Schedule;
import org.jrave.train.Trainer;
import org.jrave.train.discriminator.Discriminator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The trainer's Adam alone, fed the reference's gradients ({@code grad.*}) on the starting weights:
 * its first step must give the reference's parameters ({@code param.*}) bit for bit, as the golden
 * README's float32 order of the update does. This isolates the optimiser from the float32 noise of
 * the gradients that {@link TrainingStepParityTest} has to tolerate.
 */
class AdamParityTest {

  @ParameterizedTest
  @ValueSource(strings = {"step_a_phase1_gen", "step_b_phase2_gen", "step_c_phase2_dis"})
  void firstStepOnTheReferenceGradientsGivesTheReferenceParametersExactly(String step) {
    TrainingStepFile file = TrainingStepFile.load(step);
    try (RaveModel model = GoldenModels.load("v2n-c8");
        Discriminator discriminator = TrainingStepFile.startingDiscriminator(model);
        TensorScope scope = new TensorScope()) {
      try (Trainer trainer = TrainingStepFile.trainer(model, discriminator)) {
        Schedule schedule = trainer.schedule();
        boolean discriminatorStep = step.endsWith("_dis");
        Module updated = discriminatorStep ? discriminator : model;
        Adam adam = discriminatorStep ? trainer.discriminatorOptimizer() : trainer.generatorOptimizer();
        if (!discriminatorStep) {
          adam.setLearningRate(schedule.generatorRate(file.batchesBefore()));
        }
        assertThat((float) adam.learningRate()).as("learning rate").isEqualTo((float) file.learningRate());

        Map<String, Parameter> params = updated.namedParameters();
        setGradients(params, file.gradients());
        adam.step();

        file.parametersAfter().forEach((name, golden) -> {
          Parameter p = params.get(name);
          assertThat(p.value().toFloatArray()).as(name + " after one Adam step").containsExactly(golden.toFloatArray());
        });
      }
    }
  }

  /**
   * Gives each parameter exactly the stored gradient: the gradient of {@code sum(p * g)} with
   * respect to {@code p} is {@code g}, with no rounding (it is {@code 1 * g}).
   */
  private static void setGradients(Map<String, Parameter> params, Map<String, Tensor> gradients) {
    Tensor probe = null;
    for (Map.Entry<String, Tensor> e : gradients.entrySet()) {
      Tensor term = params.get(e.getKey()).value().mul(e.getValue()).sum();
      probe = probe == null ? term : probe.add(term);
    }
    probe.backward();
    gradients.forEach((name, g) -> assertThat(
        params.get(name).value().grad().toFloatArray())
        .as(name + " gradient set").containsExactly(g.toFloatArray()));
  }
}
