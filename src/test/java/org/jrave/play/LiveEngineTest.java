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
import org.jrave.streaming.BlockProcessor;
import org.jrave.streaming.RealtimeProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real-time loop against the clocked virtual devices: a causal v2_small at 2048-sample blocks
 * keeps up on two cores (no dropout or underrun, blocks on schedule) and plays exactly what the
 * block engine computes, one block after the input block; a model slower than real time costs
 * dropouts, never the device's pace.
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

  /** The model {@code lead} blocks ahead of a device with {@code ahead} blocks queued at its output. */
  private static Run run(int block, int lead, int ahead, double seconds) throws Exception {
    long blocks = (long) Math.ceil(seconds * 44100 / block);
    SampleClock clock = new SampleClock(44100);
    VirtualOutput out = new VirtualOutput(clock, 1, block, ahead, seconds + 1);
    long t0 = System.nanoTime();
    try (RealtimeProcessor p = RealtimeProcessor.forward(model, block)) {
      p.setDeterministic(true);
      p.setNoise(NoiseSource.SILENT);
      LiveEngine engine = new LiveEngine(p, new LoopingFileInput(tabla, clock, "tabla"), out, blocks, lead).start();
      engine.await();
      assertThat(engine.failure()).isNull();
      LiveStats stats = engine.stats();
      System.out.println("live loop, model " + lead + " block(s) ahead: " + stats);
      assertThat(stats.underruns()).isEqualTo(out.underruns());
      assertThat(stats.blocks()).isEqualTo(blocks);
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
    Run r = run(block, 1, 1, 4);
    long blocks = (long) Math.ceil(4 * 44100.0 / block);
    assertThat(r.stats().blocks()).isEqualTo(blocks);
    assertThat(r.stats().underruns()).isZero();
    assertThat(r.stats().dropouts()).isZero();
    // Input block + the block inference runs ahead of the device + one queued at the output.
    assertThat(r.latency()).isEqualTo(3 * block);
    // On schedule: the input clock paces the loop, so it takes the audio's duration (plus warm-up).
    assertThat(r.wall()).isBetween(blocks * block / 44100.0, blocks * block / 44100.0 + 3);
  }

  @Test
  void playsExactlyWhatTheStreamComputes() throws Exception {
    int block = 2048;
    // 370 ms per block for the model and 370 ms of queue at the output: this test is about what is
    // played, not about speed.
    int lead = 8;
    int ahead = 8;
    Run r = run(block, lead, ahead, 3);
    long blocks = r.stats().blocks();
    assertThat(r.stats().underruns()).isZero();
    assertThat(r.stats().dropouts()).isZero();
    // The device played silence while the first blocks were processed, then blocks 0 .. n-1-lead.
    long heard = blocks - lead;
    float[][] looped = new float[1][(int) heard * block];
    for (int i = 0; i < looped[0].length; i++) {
      looped[0][i] = tabla[0][i % tabla[0].length];
    }
    float[] expected = new StreamingCodec(model, block, true).forward(looped, OfflineCodec.Mode.DETERMINISTIC)[0];
    float[] played = r.played();
    int silence = (ahead + lead) * block;
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

  @Test
  void aTinyModelRunsWithoutDropoutsAndReportsItsBlockTimes() throws Exception {
    {
      int block = 2048;
      long blocks = (long) Math.ceil(3 * 44100.0 / block);
      SampleClock clock = new SampleClock(44100);
      VirtualOutput out = new VirtualOutput(clock, 1, block, 1, 0);
      try (RealtimeProcessor p = RealtimeProcessor.forward(model, block)) {
        LiveEngine engine = new LiveEngine(p, new LoopingFileInput(tabla, clock, "tabla"), out, blocks).start();
        engine.await();
        assertThat(engine.failure()).isNull();
        LiveStats stats = engine.stats();
        System.out.println("tiny model live: " + stats);
        assertThat(stats.blocks()).isEqualTo(blocks);
        // Each block has a whole block's time (a tenth of it is enough alone): none drop out on a
        // quiet machine, a few when other work holds the cores longer than a block.
        assertThat(stats.dropouts()).isLessThan(blocks / 4);
        assertThat(stats.processed()).isBetween(blocks - 1 - stats.dropouts(), blocks);
        assertThat(stats.medianMillis()).isPositive();
        assertThat(stats.p90Millis()).isGreaterThanOrEqualTo(stats.medianMillis());
        assertThat(stats.p99Millis()).isGreaterThanOrEqualTo(stats.p90Millis());
        assertThat(stats.maxMillis()).isGreaterThanOrEqualTo(stats.p99Millis());
        assertThat(stats.toString()).contains(blocks + " blocks").contains("dropout").contains("p99");
      }
    }
  }

  @Test
  void aModelSlowerThanRealTimeCostsDropoutsNotTheDevicesPace() throws Exception {
    int block = 2048;                      // 46.4 ms at 44.1 kHz
    long blocks = 16;
    SampleClock clock = new SampleClock(44100);
    VirtualOutput out = new VirtualOutput(clock, 1, block, 1, 2);
    float[][] ramp = new float[1][block * 8];
    for (int i = 0; i < ramp[0].length; i++) {
      ramp[0][i] = 0.5f;
    }
    try (CopyProcessor slow = new CopyProcessor(block, 140)) {
      LiveEngine engine = new LiveEngine(slow, new LoopingFileInput(ramp, clock, "dc"), out, blocks).start();
      engine.await();
      assertThat(engine.failure()).isNull();
      LiveStats stats = engine.stats();
      System.out.println("slow model live: " + stats);
      // The device thread kept the clock: every block was written before the output ran dry ...
      assertThat(stats.blocks()).isEqualTo(blocks);
      assertThat(out.underruns()).isZero();
      assertThat(out.played()[0]).hasSize((int) (blocks + 1) * block);
      // ... while the model, three times slower than real time, finished none in time.
      assertThat(stats.dropouts()).isEqualTo(blocks - 1);
      assertThat(stats.processed()).isLessThan(blocks / 2);
      assertThat(stats.medianMillis()).isGreaterThanOrEqualTo(140);
      for (float v : out.played()[0]) {
        assertThat(v).isZero();
      }
    }
  }

  @Test
  void theDeviceAndInferenceThreadsAllocateNothingPerBlock() throws Exception {
    int block = 1024;
    SampleClock clock = new SampleClock(44100);
    VirtualOutput out = new VirtualOutput(clock, 1, block, 1, 0);
    var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    try (CopyProcessor copy = new CopyProcessor(block, 0)) {
      LiveEngine engine = new LiveEngine(copy, new LoopingFileInput(tabla, clock, "tabla"), out, Long.MAX_VALUE).start();
      Thread.sleep(1500);   // past the first blocks, when code is compiled and monitors settle
      long[] ids = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().equals("jrave-audio") || t.getName().equals("jrave-inference"))
          .mapToLong(Thread::threadId).toArray();
      assertThat(ids).hasSize(2);
      long before = java.util.Arrays.stream(threads.getThreadAllocatedBytes(ids)).sum();
      long blocks0 = engine.stats().blocks();
      Thread.sleep(1500);
      long allocated = java.util.Arrays.stream(threads.getThreadAllocatedBytes(ids)).sum() - before;
      long blocks = engine.stats().blocks() - blocks0;
      engine.stop();
      assertThat(engine.failure()).isNull();
      assertThat(blocks).isGreaterThan(30);
      assertThat(allocated).as("bytes over %d blocks", blocks).isLessThan(blocks * 8);
    }
  }

  /** Copies its input to its output, after sleeping the given time (none for 0). */
  private static final class CopyProcessor implements BlockProcessor {
    private final int block;
    private final long sleepMillis;

    CopyProcessor(int block, long sleepMillis) {
      this.block = block;
      this.sleepMillis = sleepMillis;
    }

    @Override public int blockSize() { return block; }
    @Override public int channels() { return 1; }
    @Override public int latency() { return 0; }
    @Override public int sampleRate() { return 44100; }
    @Override public int latentDimensions() { return 1; }
    @Override public int outputLength() { return block; }
    @Override public void setDeterministic(boolean on) {}
    @Override public void encode(float[][] input, float[][] latentOut) {}
    @Override public void reset() {}
    @Override public void close() {}

    @Override
    public void process(float[][] input, float[][] output) {
      try {
        if (sleepMillis > 0) {
          Thread.sleep(sleepMillis);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      System.arraycopy(input[0], 0, output[0], 0, block);
    }
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
