package org.jrave.play;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.jrave.audio.AudioDecoder;
import org.jrave.audio.AudioTarget;
import org.jrave.audio.TestAudio;
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
    Path flac = TestAudio.fixture("tabla_loop.flac");
    tabla = new AudioDecoder().decode(flac, AudioTarget.of(44100, 1)).samples();
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private record Run(LiveStats stats, int latency, float[] played, double wall) {}

  private static Run run(int block, int ahead, double seconds) throws Exception {
    long blocks = (long) Math.ceil(seconds * 44100 / block);
    SampleClock clock = new SampleClock(44100);
    VirtualOutput out = new VirtualOutput(clock, 1, block, ahead, seconds + 1);
    long t0 = System.nanoTime();
    try (RealtimeProcessor p = RealtimeProcessor.forward(model, block)) {
      p.setDeterministic(true);
      p.setNoise(NoiseSource.SILENT);
      LiveEngine engine = new LiveEngine(p, new LoopingFileInput(tabla, clock, "tabla"), out, blocks).start();
      engine.await();
      assertThat(engine.failure()).isNull();
      LiveStats stats = engine.stats();
      System.out.println("live loop, " + ahead + " block(s) ahead: " + stats);
      assertThat(stats.underruns()).isEqualTo(out.underruns());
      return new Run(stats, engine.latencySamples() - p.latency(), out.played()[0], (System.nanoTime() - t0) / 1e9);
    }
  }

  @Test
  void keepsUpInRealTimeOnTwoCores() throws Exception {
    int block = 2048;
    double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    double slowest = isolatedBlockMillis(block, 1.0);
    // The guarantee is about the model on two cores of its own; on a machine busy with other work
    // the loop cannot be judged, so the test is skipped (not passed) with what was measured.
    Assumptions.assumeTrue(load <= 1.5 * Runtime.getRuntime().availableProcessors() && slowest < 0.5 * 1000.0 * block / 44100,
        "machine busy with other work: load average " + load + ", slowest block " + slowest + " ms in isolation");
    // Double buffering, as audio hosts run: one block being played while the next is computed.
    Run r = run(block, 2, 4);
    long blocks = (long) Math.ceil(4 * 44100.0 / block);
    assertThat(r.stats().blocks()).isEqualTo(blocks);
    assertThat(r.stats().underruns()).isZero();
    assertThat(r.latency()).isEqualTo(3 * block);
    // On schedule: the input clock paces the loop, so it takes the audio's duration (plus warm-up).
    assertThat(r.wall()).isBetween(blocks * block / 44100.0, blocks * block / 44100.0 + 3);
  }

  @Test
  void playsExactlyWhatTheStreamComputes() throws Exception {
    int block = 2048;
    int ahead = 8;      // 370 ms of slack: this test is about what is played, not about speed
    Run r = run(block, ahead, 3);
    long blocks = r.stats().blocks();
    assertThat(r.stats().underruns()).isZero();
    float[][] looped = new float[1][(int) blocks * block];
    for (int i = 0; i < looped[0].length; i++) {
      looped[0][i] = tabla[0][i % tabla[0].length];
    }
    float[] expected = new StreamingCodec(model, block, true).forward(looped, OfflineCodec.Mode.DETERMINISTIC)[0];
    float[] played = r.played();
    int silence = ahead * block;
    assertThat(played).hasSize(silence + looped[0].length);
    for (int i = 0; i < silence; i++) {
      assertThat(played[i]).isZero();
    }
    double peak = 0;
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      peak = Math.max(peak, Math.abs(expected[i]));
      worst = Math.max(worst, Math.abs(expected[i] - played[silence + i]));
    }
    assertThat(peak).isGreaterThan(1e-6);   // random weights: quiet, but not silent
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
    VirtualOutput out = new VirtualOutput(clock, 1, 512, 1, 0);
    float[][] b = new float[1][512];
    out.write(b);
    Thread.sleep(60);   // 2646 samples pass: more than the 512 (+512 prefill) queued
    out.write(new float[1][44100]);
    long afterGap = out.underruns();
    long gap = out.gapSamples();
    out.write(b);       // one second of audio was still queued
    long afterRefill = out.underruns();
    assertThat(afterGap).isEqualTo(1);
    assertThat(gap).isGreaterThan(1000);
    assertThat(afterRefill).isEqualTo(1);
  }
}
