package org.jrave.inference;

import java.util.function.IntConsumer;
import org.jrave.model.RaveModel;
import org.jrave.model.noise.NoiseSource;
import org.jrave.streaming.BlockProcessor;
import org.jrave.streaming.BlockProcessors;
import org.jrave.streaming.RealtimeProcessor;

/**
 * Whole signals through the block-by-block engine, as a real-time host would run them: the input is
 * cut into blocks (zero-padded at the end, plus enough blocks to flush the latency) and the outputs
 * are concatenated. By default the latency is removed so that the result lines up with the input
 * and has its length; with {@code keepLatency} the output starts when the stream starts.
 */
public final class StreamingCodec {

  private final BlockProcessors processors;
  private final int blockSize;
  private final boolean keepLatency;

  public StreamingCodec(RaveModel model, int blockSize, boolean keepLatency) {
    this(RealtimeProcessor.of(model), blockSize, keepLatency);
  }

  /** Over any model's processors (native or TorchScript). */
  public StreamingCodec(BlockProcessors processors, int blockSize, boolean keepLatency) {
    this.processors = processors;
    this.blockSize = blockSize;
    this.keepLatency = keepLatency;
  }

  public float[][] forward(float[][] audio, OfflineCodec.Mode mode) {
    try (BlockProcessor p = processors.forward(blockSize)) {
      configure(p, mode);
      return forward(p, audio, keepLatency, block -> {});
    }
  }

  /**
   * {@code audio} through a forward processor already set up by the caller, block by block;
   * {@code beforeBlock} is told each block's index before it runs (to move live controls).
   */
  public static float[][] forward(BlockProcessor p, float[][] audio, boolean keepLatency, IntConsumer beforeBlock) {
    int samples = audio[0].length;
    int skip = keepLatency ? 0 : p.latency();
    float[][] out = run(audio, samples + skip, p.blockSize(), p.channels(), p.blockSize(), (b, in, y) -> {
      beforeBlock.accept(b);
      p.process(in, y);
    });
    return slice(out, skip, samples);
  }

  public float[][] encode(float[][] audio, OfflineCodec.Mode mode) {
    int ratio = processors.ratio();
    try (BlockProcessor p = processors.encoder(blockSize)) {
      configure(p, mode);
      int frames = (audio[0].length + ratio - 1) / ratio;
      int skip = keepLatency ? 0 : p.latency() / ratio;
      float[][] out = run(audio, (frames + skip) * ratio, blockSize, p.latentDimensions(), blockSize / ratio,
          (b, in, z) -> p.encode(in, z));
      return slice(out, skip, frames);
    }
  }

  public float[][] decode(float[][] latent, OfflineCodec.Mode mode) {
    int ratio = processors.ratio();
    int framesPerBlock = Math.max(1, blockSize / ratio);
    try (BlockProcessor p = processors.decoder(framesPerBlock)) {
      configure(p, mode);
      int samples = latent[0].length * ratio;
      int skip = keepLatency ? 0 : p.latency();
      int neededFrames = (samples + skip + ratio - 1) / ratio;
      float[][] out = run(latent, neededFrames, framesPerBlock, p.channels(), framesPerBlock * ratio,
          (b, in, y) -> p.process(in, y));
      return slice(out, skip, samples);
    }
  }

  private static void configure(BlockProcessor p, OfflineCodec.Mode mode) {
    p.setDeterministic(mode == OfflineCodec.Mode.DETERMINISTIC);
    if (p instanceof RealtimeProcessor native_) {
      native_.setNoise(mode == OfflineCodec.Mode.DETERMINISTIC ? NoiseSource.SILENT : NoiseSource.RANDOM);
    }
  }

  private interface BlockStep {
    void apply(int block, float[][] in, float[][] out);
  }

  /** Feeds {@code input} (zero-extended to {@code inputNeeded}) block by block; concatenates outputs. */
  private static float[][] run(float[][] input, int inputNeeded, int inBlock, int outRows, int outBlock, BlockStep step) {
    int blocks = (inputNeeded + inBlock - 1) / inBlock;
    int rows = input.length;
    float[][] in = new float[rows][inBlock];
    float[][] block = new float[outRows][outBlock];
    float[][] out = new float[outRows][blocks * outBlock];
    for (int b = 0; b < blocks; b++) {
      int start = b * inBlock;
      for (int r = 0; r < rows; r++) {
        java.util.Arrays.fill(in[r], 0f);
        int n = Math.max(0, Math.min(inBlock, input[r].length - start));
        if (n > 0) {
          System.arraycopy(input[r], start, in[r], 0, n);
        }
      }
      step.apply(b, in, block);
      for (int r = 0; r < block.length; r++) {
        System.arraycopy(block[r], 0, out[r], b * outBlock, outBlock);
      }
    }
    return out;
  }

  private static float[][] slice(float[][] signal, int start, int length) {
    float[][] out = new float[signal.length][length];
    for (int r = 0; r < signal.length; r++) {
      System.arraycopy(signal[r], start, out[r], 0, Math.min(length, signal[r].length - start));
    }
    return out;
  }
}
