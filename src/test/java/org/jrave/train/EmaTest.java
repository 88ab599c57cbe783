package org.jrave.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.blocks.Conv1d;
import org.junit.jupiter.api.Test;

class EmaTest {

  @Test
  void averagesParametersAndSwapsThemInAndOut() {
    try (Conv1d conv = new Conv1d(Conv1d.Spec.of(1, 1, 1)); Ema ema = new Ema(conv, 0.9);
        TensorScope scope = new TensorScope(); NoGrad ignored = NoGrad.enter()) {
      Tensor w = conv.namedParameters().get("weight").value();
      w.fillInPlace(1);
      ema.update(); // first call copies: e = 1
      w.fillInPlace(3);
      ema.update(); // e = 0.9 * 1 + 0.1 * 3 = 1.2
      assertThat(ema.state().get("weight").item()).isCloseTo(1.2f, within(1e-6f));
      ema.swap();
      assertThat(w.item()).isCloseTo(1.2f, within(1e-6f));
      assertThat(ema.state().get("weight").item()).isEqualTo(3f);
      ema.swap();
      assertThat(w.item()).isEqualTo(3f);
    }
  }
}
