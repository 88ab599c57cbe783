package org.jrave.prior;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.jrave.model.RaveModel;
import org.jrave.play.PlayModels;
import org.junit.jupiter.api.Test;

/**
 * The training step learns: on a predictable latent sequence (a slow sine per dimension, phase
 * shifted) the cross-entropy falls from about ln 32 to a fraction of it, and the sampler then
 * continues the pattern at temperature 0.
 */
class PriorTrainingTest {

  @Test
  void learnsAPredictableSequenceAndSamplesIt() {
    try (RaveModel model = PlayModels.causalSmall(4, 1);
         PriorNetwork net = new PriorNetwork(new PriorConfig(2, 32, 32, 32, 3, 4, 4));
         PriorTrainer trainer = new PriorTrainer(net, new PriorLatents(model, 2), 1e-2)) {
      Random r = new Random(1);
      double first = 0;
      double last = 0;
      for (int step = 0; step < 200; step++) {
        float[][][] z = new float[4][2][48];
        for (int b = 0; b < 4; b++) {
          int phase = r.nextInt(16);
          for (int d = 0; d < 2; d++) {
            for (int t = 0; t < 48; t++) {
              z[b][d][t] = (float) (1.5 * Math.sin(2 * Math.PI * (t + phase + 4 * d) / 16));
            }
          }
        }
        double loss = trainer.stepOnLatents(z);
        if (step == 0) {
          first = loss;
        }
        last = loss;
      }
      assertThat(first).isBetween(Math.log(32) - 0.3, Math.log(32) + 0.5);
      assertThat(last).isLessThan(0.8);
      float[][] sampled = new PriorSampler(net).sample(64, 0, new Random(2));
      assertThat(sampled[0]).hasSize(64);
      // Period 16: once locked on the pattern (after about one period) the sequence repeats itself.
      GaussianQuantizer q = new GaussianQuantizer(32);
      int agree = 0;
      for (int t = 24; t < 40; t++) {
        agree += Math.abs(q.classOf(sampled[0][t]) - q.classOf(sampled[0][t + 16])) <= 1 ? 1 : 0;
      }
      assertThat(agree).isGreaterThanOrEqualTo(13);
    }
  }
}
