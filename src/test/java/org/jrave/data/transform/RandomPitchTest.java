package org.jrave.data.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomPitchTest {

  @Test
  void ratiosAreTheFractionsBelowTwentyInTheRangeInOrder() {
    List<RandomPitch.Ratio> r = RandomPitch.ratios(0.9, 1.1);
    assertThat(r).allSatisfy(x -> {
      assertThat(x.num()).isBetween(1, 19);
      assertThat(x.den()).isBetween(1, 19);
      assertThat(x.num()).isNotEqualTo(x.den());
      assertThat(x.value()).isBetween(0.9, 1.1);
    });
    assertThat(r).extracting(RandomPitch.Ratio::value).isSorted().doesNotHaveDuplicates();
    // The closest to 1 from either side: 18/19 and 19/18.
    assertThat(r).contains(new RandomPitch.Ratio(18, 19), new RandomPitch.Ratio(19, 18));
    assertThat(r).doesNotContain(new RandomPitch.Ratio(2, 2), new RandomPitch.Ratio(20, 19));
  }

  @Test
  void theFactorIsRoundedUpToTheNextRatioWithinTheLengthLimit() {
    RandomPitch p = new RandomPitch(0.5, 2, 4096, 1);
    assertThat(p.choose(1.45, 2)).isEqualTo(new RandomPitch.Ratio(16, 11)); // 1.4545..., the next above 1.45
    assertThat(p.choose(1.5, 2)).isEqualTo(new RandomPitch.Ratio(3, 2));
    // Nothing at or above 1.99 within a limit of 1.89: the largest below it (17/9 = 1.889).
    assertThat(p.choose(1.99, 1.89)).isEqualTo(new RandomPitch.Ratio(17, 9));
    assertThat(p.choose(0.3, 0.4)).isNull();
  }

  @Test
  void anItemIsNeverShiftedShorterThanACrop() {
    RandomPitch p = new RandomPitch(0.5, 3, 4096, 1);
    SplittableRandom rng = new SplittableRandom(4);
    for (int i = 0; i < 50; i++) {
      float[][] out = p.apply(new float[][] {new float[8192]}, rng);
      assertThat(out[0].length).isGreaterThanOrEqualTo(4096).isLessThanOrEqualTo(2 * 8192);
    }
  }

  @Test
  void aRangeWithoutAnyRatioIsRefused() {
    assertThatThrownBy(() -> new RandomPitch(1, 1, 4096, 0.5)).hasMessageContaining("no ratio");
    assertThatThrownBy(() -> new RandomPitch(1.2, 1.1, 4096, 0.5)).hasMessageContaining("0 < lo <= hi");
  }
}
