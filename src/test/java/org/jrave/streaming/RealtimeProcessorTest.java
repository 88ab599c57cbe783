package org.jrave.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jrave.engine.Engine;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.Presets;
import org.jrave.model.noise.NoiseSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RealtimeProcessorTest {
  static RaveModel model;

  @BeforeAll
  static void model() {
    Engine.initialize(2);
    Engine.manualSeed(3);
    model = RaveFactory.build(Presets.builder(List.of("v2", "causal")).capacity(4).build());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static float[][] noise(int channels, int length, long seed) {
    java.util.Random r = new java.util.Random(seed);
    float[][] x = new float[channels][length];
    for (float[] row : x) {
      for (int i = 0; i < length; i++) {
        row[i] = (float) (r.nextGaussian() * 0.1);
      }
    }
    return x;
  }

  @Test
  void decoderWithLatentBiasEqualsDecodingTheBiasedLatent() {
    int frames = 8;
    float[][] z = noise(128, frames, 1);
    float[][] out = new float[1][frames * 2048];
    float[][] expected;
    try (RealtimeProcessor p = RealtimeProcessor.decoder(model, frames)) {
      p.setNoise(NoiseSource.SILENT);
      p.latentControl().setBias(3, 2.5f);
      p.latentControl().setScale(5, 0f);
      p.latentControl().replace(7, -1f);
      p.process(z, out);
    }
    float[][] edited = new float[128][];
    for (int d = 0; d < 128; d++) {
      edited[d] = z[d].clone();
      for (int f = 0; f < frames; f++) {
        edited[d][f] = d == 3 ? z[d][f] + 2.5f : d == 5 ? 0f : d == 7 ? -1f : z[d][f];
      }
    }
    try (RealtimeProcessor p = RealtimeProcessor.decoder(model, frames)) {
      p.setNoise(NoiseSource.SILENT);
      expected = new float[1][frames * 2048];
      p.process(edited, expected);
    }
    assertThat(out[0]).containsExactly(expected[0]);
    float[][] plain = new float[1][frames * 2048];
    try (RealtimeProcessor p = RealtimeProcessor.decoder(model, frames)) {
      p.setNoise(NoiseSource.SILENT);
      p.process(z, plain);
    }
    assertThat(plain[0]).isNotEqualTo(out[0]);
  }

  @Test
  void snapshotAndRestoreReplayTheSameOutput() {
    try (RealtimeProcessor p = RealtimeProcessor.forward(model, 2048)) {
      p.setDeterministic(true);
      p.setNoise(NoiseSource.SILENT);
      float[][] out = new float[1][2048];
      for (int i = 0; i < 4; i++) {
        p.process(noise(1, 2048, i), out);
      }
      float[][] first = new float[1][2048];
      float[][] second = new float[1][2048];
      try (StreamingModel.Snapshot snap = p.snapshot()) {
        p.process(noise(1, 2048, 99), first);
        p.restore(snap);
        p.process(noise(1, 2048, 99), second);
      }
      assertThat(second[0]).containsExactly(first[0]);
      p.reset();
      float[][] afterReset = new float[1][2048];
      p.process(noise(1, 2048, 99), afterReset);
      assertThat(afterReset[0]).isNotEqualTo(first[0]);
    }
  }

  @Test
  void resetStartsLikeAFreshStream() {
    float[][] fresh = new float[1][2048];
    float[][] again = new float[1][2048];
    try (RealtimeProcessor p = RealtimeProcessor.forward(model, 2048)) {
      p.setDeterministic(true);
      p.setNoise(NoiseSource.SILENT);
      p.process(noise(1, 2048, 5), fresh);
      p.process(noise(1, 2048, 6), again);
      p.reset();
      p.process(noise(1, 2048, 5), again);
    }
    assertThat(again[0]).containsExactly(fresh[0]);
  }

  @Test
  void encoderGivesOneFramePerRatio() {
    try (RealtimeProcessor p = RealtimeProcessor.encoder(model, 4096)) {
      p.setDeterministic(true);
      float[][] z = new float[128][2];
      p.encode(noise(1, 4096, 1), z);
      assertThat(p.outputLength()).isEqualTo(2);
      double energy = 0;
      for (float[] row : z) {
        for (float v : row) {
          energy += v * v;
        }
      }
      assertThat(energy).isGreaterThan(0);
    }
  }

  @Test
  void wrongShapesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> RealtimeProcessor.forward(model, 1000)).hasMessageContaining("multiple of the model's ratio");
    try (RealtimeProcessor p = RealtimeProcessor.forward(model, 2048)) {
      assertThatThrownBy(() -> p.process(new float[2][2048], new float[1][2048])).hasMessageContaining("1 channel(s), got 2");
      assertThatThrownBy(() -> p.process(new float[1][1024], new float[1][2048])).hasMessageContaining("2048 values");
      assertThatThrownBy(() -> p.latentControl().setBias(128, 1f)).hasMessageContaining("out of range");
    }
  }

  @Test
  void cachesDoNotGrowOverManyBlocks() {
    try (RealtimeProcessor p = RealtimeProcessor.forward(model, 2048)) {
      float[][] out = new float[1][2048];
      float[][] in = noise(1, 2048, 1);
      for (int i = 0; i < 20; i++) {
        p.process(in, out);
      }
      long cached = ((StreamingModelAccess) () -> p).cached();
      for (int i = 0; i < 200; i++) {
        p.process(in, out);
      }
      assertThat(((StreamingModelAccess) () -> p).cached()).isEqualTo(cached);
    }
  }

  /** Test access to the processor's cache size. */
  @FunctionalInterface
  interface StreamingModelAccess {
    RealtimeProcessor processor();

    default long cached() {
      return processor().cachedValues();
    }
  }
}
