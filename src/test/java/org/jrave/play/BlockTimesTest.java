package org.jrave.play;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Percentiles of block times from the histogram, against the ones of the sorted times. */
class BlockTimesTest {

  @Test
  void percentilesFollowTheTimesWithinABin() {
    BlockTimes t = new BlockTimes();
    assertThat(t.percentileMillis(50)).isZero();
    // 1 .. 100 ms, then one block of 3 s (beyond the histogram's range).
    for (int ms = 1; ms <= 100; ms++) {
      t.add(ms * 1_000_000L + 3_000);
    }
    t.add(3_000_000_000L);
    assertThat(t.count()).isEqualTo(101);
    assertThat(t.percentileMillis(50)).isCloseTo(51, within(0.01));
    assertThat(t.percentileMillis(90)).isCloseTo(91, within(0.01));
    assertThat(t.percentileMillis(99)).isCloseTo(100, within(0.01));
    assertThat(t.percentileMillis(100)).isEqualTo(3000);
    assertThat(t.maxMillis()).isEqualTo(3000);
  }
}
