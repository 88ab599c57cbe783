package org.jrave.prior;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jrave.engine.Engine;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The prior's network shape, causality, quantiser and diagonal shift against spec section 9. */
class PriorPartsTest {

  @BeforeAll
  static void engine() {
    Engine.initialize(2);
    Engine.manualSeed(1);
  }

  @Test
  void referenceShapeHasTheSpecsParameterCountAndReceptiveField() {
    PriorConfig c = PriorConfig.v1(8);
    try (PriorNetwork n = new PriorNetwork(c)) {
      assertThat(n.parameterCount()).isEqualTo(19_802_624L);
    }
    assertThat(c.receptiveField()).isEqualTo(67);
    assertThat(c.minimumSignal(2048)).isEqualTo(262_144);
    assertThat(PriorConfig.roundLatentSize(5, 128)).isEqualTo(8);
    assertThat(PriorConfig.roundLatentSize(1, 128)).isEqualTo(1);
    assertThat(PriorConfig.latentSizeForFidelity(new float[] {0.5f, 0.8f, 0.9f, 0.96f, 0.99f, 1f}, 0.95)).isEqualTo(4);
    assertThat(PriorConfig.latentSizeForFidelity(new float[16], 0.95)).isEqualTo(1);
  }

  @Test
  void aPredictionNeverSeesTheFuture() {
    PriorConfig c = new PriorConfig(4, 8, 16, 8, 3, 4, 5);
    int frames = 40;
    int[][][] a = new int[1][4][frames];
    int[][][] b = new int[1][4][frames];
    Random r = new Random(2);
    for (int d = 0; d < 4; d++) {
      for (int t = 0; t < frames; t++) {
        a[0][d][t] = r.nextInt(8);
        b[0][d][t] = t < 25 ? a[0][d][t] : r.nextInt(8);
      }
    }
    try (PriorNetwork n = new PriorNetwork(c); TensorScope s = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      float[] ya = n.forward(OneHot.of(a, 8)).toFloatArray();
      float[] yb = n.forward(OneHot.of(b, 8)).toFloatArray();
      for (int ch = 0; ch < 32; ch++) {
        for (int t = 0; t < frames; t++) {
          if (t < 25) {
            assertThat(yb[ch * frames + t]).isEqualTo(ya[ch * frames + t]);
          }
        }
      }
      boolean changedLater = false;
      for (int ch = 0; ch < 32; ch++) {
        changedLater |= yb[ch * frames + 30] != ya[ch * frames + 30];
      }
      assertThat(changedLater).isTrue();
    }
  }

  @Test
  void theCachedStreamGivesTheLogitsOfTheWholeSequence() {
    PriorConfig c = new PriorConfig(4, 8, 16, 8, 3, 4, 6);
    int frames = 100;
    int[][][] x = new int[2][4][frames];
    Random r = new Random(5);
    for (int b = 0; b < 2; b++) {
      for (int d = 0; d < 4; d++) {
        for (int t = 0; t < frames; t++) {
          x[b][d][t] = r.nextInt(8);
        }
      }
    }
    try (PriorNetwork n = new PriorNetwork(c); TensorScope s = new TensorScope(); NoGrad ng = NoGrad.enter();
        PriorNetwork.Stream stream = n.stream(2)) {
      Tensor all = OneHot.of(x, 8);
      float[] whole = n.forward(all).contiguous().toFloatArray();
      // One frame at a time (as sampling feeds it), then the rest in uneven chunks.
      List<Tensor> pieces = new ArrayList<>();
      int t = 0;
      for (int size : new int[] {1, 1, 1, 1, 5, 17, 2, 1, 26}) {
        for (int k = 0; k < (size == 1 ? 10 : 1); k++) {
          pieces.add(stream.forward(all.narrow(2, t, size)));
          t += size;
        }
      }
      assertThat(t).isEqualTo(frames);
      float[] streamed = Tensor.cat(pieces, 2).contiguous().toFloatArray();
      assertThat(streamed).hasSameSizeAs(whole);
      double worst = 0;
      for (int i = 0; i < whole.length; i++) {
        worst = Math.max(worst, Math.abs(streamed[i] - whole[i]));
      }
      assertThat(worst).isLessThan(1e-5);
      // The logits move with their input, so agreeing is not a matter of constant outputs.
      assertThat(whole[5]).isNotEqualTo(whole[6]);
    }
  }

  @Test
  void quantiserBinsAreEquiprobableAndInvert() {
    GaussianQuantizer q = new GaussianQuantizer(32);
    assertThat(q.classOf(0)).isEqualTo(16);
    assertThat(q.classOf(-100)).isZero();
    assertThat(q.classOf(100)).isEqualTo(31);
    assertThat(GaussianQuantizer.erf(1)).isCloseTo(0.8427007929, offset(2e-7));
    assertThat(GaussianQuantizer.erfinv(0.5)).isCloseTo(0.4769362762, offset(1e-7));
    assertThat(GaussianQuantizer.erfinv(-0.999)).isCloseTo(-2.3267537655, offset(1e-6));
    Random r = new Random(3);
    int[] counts = new int[32];
    int n = 320_000;
    for (int i = 0; i < n; i++) {
      double x = r.nextGaussian();
      int cls = q.classOf(x);
      counts[cls]++;
      if (i < 1000) {
        assertThat(q.classOf(q.valueOf(cls, 0.5))).isEqualTo(cls);
        assertThat(q.classOf(q.sample(cls, r))).isIn(cls, cls - 1, cls + 1);
      }
    }
    for (int c : counts) {
      assertThat(c).isBetween(n / 32 - 400, n / 32 + 400);
    }
    assertThat(q.valueOf(31, 0.999999999)).isEqualTo(4.0);
  }

  @Test
  void diagonalShiftThenInverseDelaysEveryChannelByNMinusOne() {
    float[][] z = new float[4][10];
    for (int c = 0; c < 4; c++) {
      for (int t = 0; t < 10; t++) {
        z[c][t] = c * 100 + t;
      }
    }
    float[][] s = DiagonalShift.forward(z);
    assertThat(s[0]).hasSize(7);
    assertThat(s[0][0]).isEqualTo(3f);
    assertThat(s[3][0]).isEqualTo(300f);
    float[][] back = DiagonalShift.inverse(s);
    assertThat(back[0]).hasSize(4);
    for (int c = 0; c < 4; c++) {
      for (int t = 0; t < 4; t++) {
        assertThat(back[c][t]).isEqualTo(z[c][t + 3]);
      }
    }
  }

  @Test
  void samplingAtTemperatureZeroFollowsTheArgmax() {
    float[] logits = {0f, 3f, 1f, 2.9f};
    Random r = new Random(4);
    assertThat(PriorSampler.draw(logits, 0, 4, 0, r)).isEqualTo(1);
    int[] counts = new int[4];
    for (int i = 0; i < 20000; i++) {
      counts[PriorSampler.draw(logits, 0, 4, 1, r)]++;
    }
    double z = Math.exp(0) + Math.exp(3) + Math.exp(1) + Math.exp(2.9);
    assertThat(counts[1] / 20000.0).isCloseTo(Math.exp(3) / z, offset(0.02));
    assertThat(counts[0] / 20000.0).isCloseTo(1 / z, offset(0.01));
  }
}
