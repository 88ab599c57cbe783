package org.jrave.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.jrave.audio.TestAudio;
import org.jrave.engine.Engine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClipComparisonTest {

  @BeforeAll
  static void engine() {
    Engine.initialize(1);
  }

  @Test
  void identicalClipsAreAtDistanceZeroAndHalfTheAmplitudeIsSixDecibelsDown() {
    float[] tone = TestAudio.sine(1, 44100, 44100, 440, 0.5)[0];
    float[] half = tone.clone();
    for (int i = 0; i < half.length; i++) {
      half[i] *= 0.5f;
    }
    ClipComparison same = ClipComparison.of(tone, tone);
    assertThat(same.spectralDistance()).isCloseTo(0, within(1e-6));
    assertThat(same.loudnessDifferenceDb()).isCloseTo(0, within(1e-9));
    ClipComparison quieter = ClipComparison.of(tone, half);
    assertThat(quieter.loudnessDifferenceDb()).isCloseTo(-6.02, within(0.01));
    assertThat(quieter.spectralDistance()).isGreaterThan(0.1);
    float[] other = TestAudio.sine(1, 44100, 44100, 3000, 0.5)[0];
    assertThat(ClipComparison.of(tone, other).spectralDistance()).isGreaterThan(quieter.spectralDistance());
  }
}
