package org.jrave.model.latent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.jrave.engine.Device;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.golden.Golden;
import org.junit.jupiter.api.Test;

class ResidualVectorQuantizationTest {
  private static final int DIM = 4;
  private static final int CODES = 8;

  @Test
  void decodingTheIndicesGivesTheQuantisedLatent() {
    try (ResidualVectorQuantization rvq = new ResidualVectorQuantization(3, CodebookSettings.rave(CODES, DIM));
        TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      Tensor z = Tensor.randn(Device.CPU, 2, DIM, 32);
      rvq.train(true);
      rvq.quantize(z);
      for (int i = 0; i < 3; i++) {
        assertThat(rvq.layer(i).codebook().initialized()).as("layer " + i + " seeded").isTrue();
      }
      rvq.eval();
      ResidualVectorQuantization.Result q = rvq.quantize(z);
      Tensor indices = rvq.encode(z);
      assertThat(indices.shape()).containsExactly(2, 3, 32);
      assertThat(indices.toLongArray()).containsExactly(q.indices().toLongArray());
      Golden.assertClose("decode(encode(z))", rvq.decode(indices), q.quantized(), 1e-5, 1e-5);
    }
  }

  @Test
  void eachLayerPicksTheNearestCodeAndReportsTheCommitmentLoss() {
    try (VectorQuantization vq = new VectorQuantization(CodebookSettings.rave(CODES, DIM));
        TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      float[] codes = randomArray(CODES * DIM, 1);
      seed(vq.codebook(), codes, 10f);
      vq.eval();
      float[] x = randomArray(DIM * 16, 2);
      Tensor input = Tensor.fromFloats(x, 1, DIM, 16);
      VectorQuantization.Quantized q = vq.quantize(input);
      long[] indices = q.indices().toLongArray();
      float[] quantized = q.quantized().toFloatArray();
      double squaredError = 0;
      for (int t = 0; t < 16; t++) {
        int best = nearest(x, t, 16, codes);
        assertThat(indices[t]).as("frame " + t).isEqualTo(best);
        for (int d = 0; d < DIM; d++) {
          assertThat(quantized[d * 16 + t]).isCloseTo(codes[best * DIM + d], within(1e-6f));
          double diff = codes[best * DIM + d] - x[d * 16 + t];
          squaredError += diff * diff;
        }
      }
      assertThat((double) q.commitment().item()).isCloseTo(squaredError / (16 * DIM), within(1e-6));
    }
  }

  @Test
  void trainingMovesCodesByExponentialMovingAverages() {
    try (VectorQuantization vq = new VectorQuantization(CodebookSettings.rave(CODES, DIM));
        TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      float[] codes = randomArray(CODES * DIM, 3);
      float initialCount = 5f;
      seed(vq.codebook(), codes, initialCount);
      float[] x = randomArray(DIM * 16, 4);
      vq.train(true);
      long[] assigned = vq.quantize(Tensor.fromFloats(x, 1, DIM, 16)).indices().toLongArray();

      double[] counts = new double[CODES];
      double[][] sums = new double[CODES][DIM];
      for (int t = 0; t < 16; t++) {
        counts[(int) assigned[t]]++;
        for (int d = 0; d < DIM; d++) {
          sums[(int) assigned[t]][d] += x[d * 16 + t];
        }
      }
      double[] clusterSize = new double[CODES];
      double total = 0;
      for (int k = 0; k < CODES; k++) {
        clusterSize[k] = 0.99 * initialCount + 0.01 * counts[k];
        total += clusterSize[k];
      }
      float[] actualSize = vq.codebook().clusterSize().toFloatArray();
      float[] actualCodes = vq.codebook().codes().toFloatArray();
      for (int k = 0; k < CODES; k++) {
        assertThat((double) actualSize[k]).isCloseTo(clusterSize[k], within(1e-5));
        double smoothed = (clusterSize[k] + 1e-5) / (total + CODES * 1e-5) * total;
        for (int d = 0; d < DIM; d++) {
          // The seed set embed_avg = codes * count.
          double average = 0.99 * codes[k * DIM + d] * initialCount + 0.01 * sums[k][d];
          assertThat((double) actualCodes[k * DIM + d]).isCloseTo(average / smoothed, within(1e-5));
        }
      }
    }
  }

  @Test
  void deadCodesAreReseededFromTheBatch() {
    try (VectorQuantization vq = new VectorQuantization(CodebookSettings.rave(CODES, DIM));
        TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      float[] codes = randomArray(CODES * DIM, 5);
      seed(vq.codebook(), codes, 5f);
      // Codes 0..3 fall below the threshold of 2.
      vq.codebook().clusterSize().narrow(0, 0, CODES / 2).fillInPlace(1.5);
      vq.codebook().expireDeadCodes(Tensor.full(7, 16, DIM));
      float[] after = vq.codebook().codes().toFloatArray();
      for (int k = 0; k < CODES; k++) {
        for (int d = 0; d < DIM; d++) {
          float expected = k < CODES / 2 ? 7f : codes[k * DIM + d];
          assertThat(after[k * DIM + d]).as("code " + k).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void kmeansEndsAtAFixedPointAndSeedsWithReplacementWhenShortOfSamples() {
    try (TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      Tensor samples = Tensor.randn(Device.CPU, 200, 2);
      KMeans.Result result = KMeans.fit(samples, 5, 50);
      Tensor assignment = KMeans.nearest(samples, result.means());
      Tensor counts = KMeans.bucketCounts(assignment, 5);
      Tensor means = KMeans.bucketSums(samples, assignment, 5).div(counts.clampMin(1).unsqueeze(1));
      assertThat(counts.toFloatArray()).containsExactly(result.counts().toFloatArray());
      Golden.assertClose("k-means centres", result.means(), means, 1e-5, 1e-5);
      assertThat(result.counts().sum().item()).isEqualTo(200f);

      KMeans.Result few = KMeans.fit(samples.narrow(0, 0, 3), 8, 5);
      assertThat(few.means().shape()).containsExactly(8, 2);
    }
  }

  /** Codes {@code [K, d]} as an initialised codebook with every count equal to {@code count}. */
  private static void seed(EuclideanCodebook codebook, float[] codes, float count) {
    Tensor embed = Tensor.fromFloats(codes, CODES, DIM);
    codebook.loadStateDict(Map.of(
        "inited", Tensor.ones(1),
        "cluster_size", Tensor.full(count, CODES),
        "embed", embed,
        "embed_avg", embed.mul(count)));
  }

  private static int nearest(float[] x, int t, int frames, float[] codes) {
    int best = -1;
    double bestDistance = Double.MAX_VALUE;
    for (int k = 0; k < CODES; k++) {
      double distance = 0;
      for (int d = 0; d < DIM; d++) {
        double diff = x[d * frames + t] - codes[k * DIM + d];
        distance += diff * diff;
      }
      if (distance < bestDistance) {
        bestDistance = distance;
        best = k;
      }
    }
    return best;
  }

  private static float[] randomArray(int n, long seed) {
    java.util.Random r = new java.util.Random(seed);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) r.nextGaussian();
    }
    return out;
  }
}
