package org.jrave.train.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.junit.jupiter.api.Test;

class LossesTest {

  private static Tensor sine(double hz, double amplitude) {
    float[] s = new float[8192];
    for (int n = 0; n < s.length; n++) {
      s[n] = (float) (amplitude * Math.sin(2 * Math.PI * hz * n / 44100.0));
    }
    return Tensor.fromFloats(s, 1, 1, s.length);
  }

  /**
   * The relative-magnitude terms match the reference to 1e-6 (window, hop, centring, padding and
   * scaling are exact). The log terms are dominated by near-empty bins (|X| near 1e-7) whose values
   * are FFT rounding noise, which differs between FFT backends (pocketfft vs MKL): they agree to
   * within 0.7 % per scale and 0.1 % in total.
   */
  @Test
  void audioDistanceMatchesTheReferenceGoldenValues() {
    try (TensorScope scope = new TensorScope(); AudioDistance d = AudioDistance.reference(1e-7)) {
      assertThat(d.distance(sine(440, 1), sine(440, 0.5)).item()).isCloseTo(4.5885234f, within(5e-4f));
      assertThat(d.distance(sine(440, 1), sine(445, 1)).item()).isCloseTo(3.1015084f, within(4e-3f));
      List<AudioDistance.ScaleTerms> terms = d.terms(sine(440, 1), sine(445, 1));
      float[][] golden = {{0.0592248f, 0.5682151f}, {0.0166899f, 0.6132132f}, {0.0056049f, 0.6655307f},
          {0.0029394f, 0.5715631f}, {0.0459935f, 0.5525339f}};
      for (int i = 0; i < golden.length; i++) {
        assertThat(terms.get(i).linear().item()).isCloseTo(golden[i][0], within(1e-6f));
        assertThat(terms.get(i).log().item()).isCloseTo(golden[i][1], within(5e-3f));
      }
    }
  }

  @Test
  void hingeAndLeastSquaresFollowTheirFormulas() {
    try (TensorScope scope = new TensorScope()) {
      Tensor real = Tensor.fromFloats(new float[] {2f, 0.5f, -1f}, 3);
      Tensor fake = Tensor.fromFloats(new float[] {-2f, 0f, 1f}, 3);
      AdversarialLoss.Losses hinge = AdversarialLoss.HINGE.of(real, fake);
      // relu(1-r) = 0, .5, 2 ; relu(1+f) = 0, 1, 2 -> mean of sums = 5.5 / 3
      assertThat(hinge.discriminator().item()).isCloseTo(5.5f / 3, within(1e-6f));
      assertThat(hinge.generator().item()).isCloseTo(1f / 3, within(1e-6f));
      AdversarialLoss.Losses ls = AdversarialLoss.LEAST_SQUARES.of(real, fake);
      // (r-1)^2 = 1, .25, 4 ; f^2 = 4, 0, 1 -> 10.25 / 3 ; (f-1)^2 = 9, 1, 0 -> 10 / 3
      assertThat(ls.discriminator().item()).isCloseTo(10.25f / 3, within(1e-5f));
      assertThat(ls.generator().item()).isCloseTo(10f / 3, within(1e-5f));
      // Summed over scales, not averaged.
      AdversarialLoss.Losses two = AdversarialLoss.HINGE.overScales(List.of(List.of(real), List.of(real)),
          List.of(List.of(fake), List.of(fake)));
      assertThat(two.generator().item()).isCloseTo(2f / 3, within(1e-6f));
    }
  }

  @Test
  void relativeFeatureMatchingSkipsTheFirstMapsAndAveragesScales() {
    try (TensorScope scope = new TensorScope()) {
      Tensor a = Tensor.fromFloats(new float[] {1f, -1f}, 2);
      Tensor b = Tensor.fromFloats(new float[] {2f, 2f}, 2);
      Tensor zero = Tensor.zeros(2);
      // Scale 0: skipped map differs wildly, the kept map differs by |1-0|,|-1-0| = 1, relative to mean|a| = 1.
      // Scale 1: kept map b vs 0: mean 2, relative to mean|b| = 2 -> 1. Absolute: (1 + 2) / 2.
      List<List<Tensor>> real = List.of(List.of(b.mul(100), a), List.of(zero, b));
      List<List<Tensor>> fake = List.of(List.of(zero, zero), List.of(b, zero));
      assertThat(new FeatureMatching(1, true).of(real, fake).item()).isCloseTo(1f, within(1e-6f));
      assertThat(new FeatureMatching(1, false).of(real, fake).item()).isCloseTo(1.5f, within(1e-6f));
    }
  }
}
