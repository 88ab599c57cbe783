package org.jrave.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.Stream;
import org.jrave.engine.Engine;
import org.jrave.engine.Precision;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.Presets;
import org.jrave.play.LatentShaper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A live block allocates nothing on the Java heap (after warm-up), neither on the calling thread nor
 * on the engine's helper threads: with the default latent control (a bias set) and with a PCA-basis
 * edit in array form, for causal and non-causal v2 models, v2_small (filtered noise) and v1 (its own
 * output step), in float32 and bfloat16; the stream's buffers keep their size.
 */
class RealtimeProcessorAllocationTest {
  private static final int WARM_UP_BLOCKS = 50;
  private static final int MAX_WARM_UP_ROUNDS = 100;
  private static final int MEASURED_BLOCKS = 200;
  private static final long BYTES_PER_BLOCK = 1024;

  @BeforeAll
  static void engine() {
    Engine.initialize(2);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("v2 causal", "latent control", Precision.FP32),
        Arguments.of("v2 causal", "latent shaper", Precision.FP32),
        Arguments.of("v2", "latent control", Precision.FP32),
        Arguments.of("v2", "latent shaper", Precision.FP32),
        Arguments.of("v2", "latent control", Precision.BF16),
        Arguments.of("v2_small causal", "latent control", Precision.FP32),
        Arguments.of("v2_small causal", "latent shaper", Precision.BF16),
        Arguments.of("v1", "latent control", Precision.FP32));
  }

  @ParameterizedTest(name = "{0} in {2} with the {1}")
  @MethodSource("cases")
  void blocksAllocateNothing(String preset, String edit, Precision precision) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
    threads.setThreadAllocatedMemoryEnabled(true);
    Engine.manualSeed(21);
    try (RaveModel model = RaveFactory.build(Presets.builder(List.of(preset.split(" "))).capacity(4).build());
        RealtimeProcessor p = RealtimeProcessor.forward(model, model.ratio(), precision)) {
      p.setNoise(org.jrave.model.noise.NoiseSource.RANDOM);
      if (edit.equals("latent control")) {
        p.latentControl().setBias(1, 0.5f);
        p.latentControl().setScale(2, 1.5f);
      } else {
        LatentShaper shaper = new LatentShaper(model, model.config().latentSize(), 1f);
        shaper.control().setBias(0, 0.5f);
        shaper.control().setScale(3, 0.5f);
        p.setLatentEdit(shaper);
      }
      long cached = p.cachedValues();
      int block = p.blockSize();
      float[][] out = new float[p.channels()][p.outputLength()];
      java.util.Random random = new java.util.Random(5);
      float[][][] inputs = new float[4][p.channels()][block];
      for (float[][] rows : inputs) {
        for (float[] row : rows) {
          for (int i = 0; i < block; i++) {
            row[i] = (float) (0.1 * random.nextGaussian());
          }
        }
      }
      // Warm-up: until the JIT has compiled the kernels' vector loops, they box their vectors (about
      // 100 kB per block for the first couple of hundred blocks). At least 50 blocks, then rounds of
      // 50 until one stays within the budget (or the rounds run out, and the measure below fails).
      p.process(inputs[0], out);
      long[] engineThreads = engineThreadIds();
      int warmUp = 0;
      for (int round = 0; round < MAX_WARM_UP_ROUNDS; round++) {
        long start = allocatedBy(threads, engineThreads);
        for (int b = 0; b < WARM_UP_BLOCKS; b++) {
          p.process(inputs[b % inputs.length], out);
        }
        warmUp += WARM_UP_BLOCKS;
        if (allocatedBy(threads, engineThreads) - start <= BYTES_PER_BLOCK * WARM_UP_BLOCKS) {
          break;
        }
      }
      long before = allocatedBy(threads, engineThreads);
      for (int b = 0; b < MEASURED_BLOCKS; b++) {
        p.process(inputs[b % inputs.length], out);
      }
      long allocated = allocatedBy(threads, engineThreads) - before;
      System.out.printf("%s in %s with the %s: %d bytes per block on %d threads after %d warm-up blocks%n", preset,
          precision, edit, allocated / MEASURED_BLOCKS, engineThreads.length, warmUp);
      double peak = 0;
      for (float v : out[0]) {
        peak = Math.max(peak, Math.abs(v));
      }

      assertThat(peak).as("the model produces sound").isGreaterThan(0);
      assertThat(allocated).as("bytes allocated by %d blocks", MEASURED_BLOCKS)
          .isLessThanOrEqualTo(BYTES_PER_BLOCK * MEASURED_BLOCKS);
      assertThat(p.cachedValues()).as("cached values").isEqualTo(cached);
    }
  }

  /** The calling thread and the engine's helpers (which exist once a first block has run). */
  private static long[] engineThreadIds() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t == Thread.currentThread() || t.getName().startsWith("jrave-stream-"))
        .mapToLong(Thread::threadId)
        .toArray();
  }

  private static long allocatedBy(com.sun.management.ThreadMXBean threads, long[] ids) {
    long sum = 0;
    for (long bytes : threads.getThreadAllocatedBytes(ids)) {
      sum += Math.max(0, bytes);
    }
    return sum;
  }
}
