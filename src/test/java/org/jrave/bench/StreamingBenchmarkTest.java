package org.jrave.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The reference figures the streaming lines compare with, and how they are printed. */
class StreamingBenchmarkTest {

  @Test
  void referencesAreThe2026_12Figures() {
    assertThat(StreamingBenchmark.CASES).contains(
        new StreamingBenchmark.Case(List.of("v2"), 2048, new StreamingBenchmark.Reference(25.6, 20.0)),
        new StreamingBenchmark.Case(List.of("v2", "causal"), 2048, new StreamingBenchmark.Reference(25.3, 19.6)),
        new StreamingBenchmark.Case(List.of("v1"), 2048, new StreamingBenchmark.Reference(21.4, Double.NaN)));
  }

  @Test
  void bothReferenceMediansArePrintedAndTheRatioIsToTheTorchScriptOne() {
    assertThat(new StreamingBenchmark.Reference(25.6, 20.0).describe(10.0))
        .isEqualTo("ref eager 25.6 / ts 20.0 ms, ratio to ts 0.50");
    assertThat(new StreamingBenchmark.Reference(21.4, Double.NaN).describe(10.7))
        .isEqualTo("ref eager 21.4 / ts - ms, ratio to eager 0.50");
    assertThat(StreamingBenchmark.Reference.NONE.describe(10.0)).isEqualTo("no reference figure");
  }
}
