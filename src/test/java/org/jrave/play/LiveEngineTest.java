package org.jrave.play;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.jrave.audio.AudioDecoder;
import org.jrave.audio.AudioTarget;
import org.jrave.inference.OfflineCodec;
import org.jrave.inference.StreamingCodec;
import org.jrave.model.RaveModel;
import org.jrave.model.noise.NoiseSource;
import org.jrave.streaming.RealtimeProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real-time loop against the clocked virtual devices: a causal v2_small at 2048-sample blocks
 * keeps up on two cores (no underrun, blocks on schedule) and plays exactly what the block engine
 * computes.
 */
class LiveEngineTest {
  static RaveModel model;
  static float[][] tabla;

  @BeforeAll
  static void setUp() throws Exception {
    model = PlayModels.causalSmall(4, 1);
    Path flac = Path.of(LiveEngineTest.class.getResource("/audio/tabla_loop.flac").toURI());
    tabla = new AudioDecoder().decode(flac, AudioTarget.of(44100, 1)).samples();
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void keepsUpInRealTimeAndPlaysWhatTheStreamComputes() throws Exception {
    int block = 2048;
    double seconds = 4;
    long blocks = (long) Math.ceil(seconds * 44100 / block);
    double p90 = isolatedBlockMillis(block, 0.9);
    // The guarantee is about the model on two free cores; on a machine busy with other work the
    // loop cannot be judged, so the test is skipped (not passed) with the measured time.
    Assumptions.assumeTrue(p90 < 0.6 * 1000.0 * block / 44100,
        "machine too busy: 90th percentile block time " + p90 + " ms in isolation");
    SampleClock clock = new SampleClock(44100);
    VirtualOutput out = new VirtualOutput(clock, 1, 2 * block, seconds + 1);
    LiveStats stats;
    long t0 = System.nanoTime();
    try (RealtimeProcessor p = RealtimeProcessor.forward(model, block)) {
      p.setDeterministic(true);
      p.setNoise(NoiseSource.SILENT);
      LiveEngine engine = new LiveEngine(p, new LoopingFileInput(tabla, clock, "tabla"), out, blocks).start();
      engine.await();
      assertThat(engine.failure()).isNull();
      stats = engine.stats();
      assertThat(engine.latencySamples()).isEqualTo(block + p.latency() + block);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    System.out.println("live loop: " + stats);
    assertThat(stats.blocks()).isEqualTo(blocks);
    assertThat(stats.underruns()).isZero();
    assertThat(out.gapSamples()).isZero();
    // On schedule: the input clock paces the loop, so it takes the audio's duration (plus warm-up).
    assertThat(wall).isBetween(blocks * block / 44100.0, blocks * block / 44100.0 + 3);
    assertThat(stats.maxMillis()).isLessThan(stats.budgetMillis());

    // What was played = one block of silence, then the stream's output for the looped input.
    float[][] looped = new float[1][(int) blocks * block];
    for (int i = 0; i < looped[0].length; i++) {
      looped[0][i] = tabla[0][i % tabla[0].length];
    }
    float[] expected = new StreamingCodec(model, block, true).forward(looped, OfflineCodec.Mode.DETERMINISTIC)[0];
    float[] played = out.played()[0];
    assertThat(played).hasSize(block + looped[0].length);
    for (int i = 0; i < block; i++) {
      assertThat(played[i]).isZero();
    }
    double peak = 0;
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      peak = Math.max(peak, Math.abs(expected[i]));
      worst = Math.max(worst, Math.abs(expected[i] - played[block + i]));
    }
    assertThat(peak).isGreaterThan(1e-4);
    assertThat(worst).isLessThanOrEqualTo(1e-5 * peak);
  }

  private static double isolatedBlockMillis(int block, double quantile) {
    try (RealtimeProcessor p = RealtimeProcessor.forward(model, block)) {
      float[][] in = new float[1][block];
      float[][] out = new float[1][block];
      double[] ms = new double[24];
      for (int i = -4; i < ms.length; i++) {
        System.arraycopy(tabla[0], (i + 4) * block, in[0], 0, block);
        long t0 = System.nanoTime();
        p.process(in, out);
        if (i >= 0) {
          ms[i] = (System.nanoTime() - t0) / 1e6;
        }
      }
      java.util.Arrays.sort(ms);
      return ms[(int) (quantile * (ms.length - 1))];
    }
  }

  @Test
  void aSlowLoopIsCountedAsUnderruns() throws Exception {
    SampleClock clock = new SampleClock(44100);
    VirtualOutput out = new VirtualOutput(clock, 1, 1024, 0);
    float[][] b = new float[1][512];
    out.write(b);
    Thread.sleep(60);   // 2646 samples pass: more than the 512 (+512 prefill) queued
    out.write(b);
    assertThat(out.underruns()).isEqualTo(1);
    assertThat(out.gapSamples()).isGreaterThan(1000);
    out.write(b);
    assertThat(out.underruns()).isEqualTo(1);
  }
}
