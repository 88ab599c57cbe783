package org.jrave.streaming;

import java.util.function.UnaryOperator;
import org.jrave.engine.Precision;
import org.jrave.engine.Tensor;
import org.jrave.model.RaveModel;
import org.jrave.model.noise.NoiseSource;

/**
 * jrave's real-time API for JVM applications: fixed-size blocks of float samples in, blocks out,
 * block after block, for one stream (batch 1) of a model's channel count.
 *
 * <pre>{@code
 * try (RaveModel model = ModelLoader.load(Path.of("my-model.jrave"));
 *      RealtimeProcessor rave = RealtimeProcessor.forward(model, 2048)) {
 *   float[][] in = new float[1][2048], out = new float[1][2048];
 *   while (running) {
 *     capture(in);
 *     rave.process(in, out);        // out is the input's reconstruction, rave.latency() samples late
 *     play(out);
 *   }
 * }
 * }</pre>
 *
 * Methods: {@link #forward} (audio to audio), {@link #encoder} (audio to latent frames) and
 * {@link #decoder} (latent frames to audio). The output equals the offline output delayed by
 * {@link #latency()} samples. Blocks run on the block engine ({@link StreamingModel}): every buffer
 * is allocated when the processor is made, and a block allocates nothing (with the default latent
 * control on a variational model). Not thread-safe: call {@code process} from one thread;
 * {@link #latentControl()} may be changed from any thread.
 */
public final class RealtimeProcessor implements BlockProcessor {

  private final RaveModel model;
  private final StreamingModel stream;
  private final int blockSize;
  private final int channels;
  private final LatentControl control;
  private final LatentStep latentStep;
  private volatile boolean deterministic;
  private volatile UnaryOperator<Tensor> latentEdit;
  private final float[][] raw;
  private final float[][] latent;

  private RealtimeProcessor(RaveModel model, StreamingModel.Method method, int blockSize, Precision precision) {
    int ratio = model.ratio();
    if (method != StreamingModel.Method.DECODE && (blockSize <= 0 || blockSize % ratio != 0)) {
      throw new IllegalArgumentException("the block size must be a positive multiple of the model's ratio ("
          + ratio + " samples), got " + blockSize);
    }
    if (method == StreamingModel.Method.DECODE && blockSize <= 0) {
      throw new IllegalArgumentException("the block size must be at least one latent frame, got " + blockSize);
    }
    this.model = model;
    this.blockSize = blockSize;
    this.channels = model.config().channels();
    this.control = new LatentControl(model.config().latentSize());
    int blockFrames = method == StreamingModel.Method.DECODE ? blockSize : blockSize / ratio;
    this.latentStep = new LatentStep(model.encoder(), model.config().latentSize() * blockFrames);
    this.stream = new StreamingModel(model, method, false, precision);
    stream.prepare(method == StreamingModel.Method.DECODE ? blockSize * ratio : blockSize);
    int frames = method == StreamingModel.Method.DECODE ? blockSize : blockSize / ratio;
    this.raw = method == StreamingModel.Method.DECODE ? null
        : new float[stream.encoderGraph().output().channels()][frames];
    this.latent = method == StreamingModel.Method.ENCODE ? null : new float[latentDimensions()][frames];
  }

  /** The processors of a native model. */
  public static BlockProcessors of(RaveModel model) {
    return of(model, Precision.FP32);
  }

  /** The processors of a native model with weights kept in {@code precision}. */
  public static BlockProcessors of(RaveModel model, Precision precision) {
    return new BlockProcessors() {
      @Override
      public int ratio() {
        return model.ratio();
      }

      @Override
      public BlockProcessor forward(int blockSize) {
        return new RealtimeProcessor(model, StreamingModel.Method.FORWARD, blockSize, precision);
      }

      @Override
      public BlockProcessor encoder(int blockSize) {
        return new RealtimeProcessor(model, StreamingModel.Method.ENCODE, blockSize, precision);
      }

      @Override
      public BlockProcessor decoder(int frames) {
        return new RealtimeProcessor(model, StreamingModel.Method.DECODE, frames, precision);
      }
    };
  }

  /** Audio to audio in blocks of {@code blockSize} samples (a multiple of the model's ratio). */
  public static RealtimeProcessor forward(RaveModel model, int blockSize) {
    return forward(model, blockSize, Precision.FP32);
  }

  public static RealtimeProcessor forward(RaveModel model, int blockSize, Precision precision) {
    return new RealtimeProcessor(model, StreamingModel.Method.FORWARD, blockSize, precision);
  }

  /** Audio blocks of {@code blockSize} samples to {@code blockSize / ratio} latent frames. */
  public static RealtimeProcessor encoder(RaveModel model, int blockSize) {
    return new RealtimeProcessor(model, StreamingModel.Method.ENCODE, blockSize, Precision.FP32);
  }

  /** Blocks of {@code frames} latent frames to {@code frames * ratio} samples. */
  public static RealtimeProcessor decoder(RaveModel model, int frames) {
    return new RealtimeProcessor(model, StreamingModel.Method.DECODE, frames, Precision.FP32);
  }

  /** Samples per input block (latent frames per block for a decoder). */
  @Override
  public int blockSize() {
    return blockSize;
  }

  @Override
  public int channels() {
    return channels;
  }

  /** The output's lag behind the offline output, in audio samples. */
  @Override
  public int latency() {
    return stream.latencySamples();
  }

  @Override
  public int sampleRate() {
    return model.config().sampleRate();
  }

  /** Latent dimensions a decoder block expects (including noise-augmentation channels). */
  @Override
  public int latentDimensions() {
    return model.config().latentSize() + model.config().latent().noiseAugmentation();
  }

  /** Bias, scale and replacement of latent dimensions, applied live (forward and decoder). */
  public LatentControl latentControl() {
    return control;
  }

  /**
   * Replaces the latent step applied to every block (forward and decoder; by default
   * {@link #latentControl()} in the encoder's own basis), for example an edit in the PCA basis.
   * Called on the processing thread inside a native scope.
   */
  public void setLatentEdit(UnaryOperator<Tensor> edit) {
    this.latentEdit = java.util.Objects.requireNonNull(edit);
  }

  /** Use the posterior mean instead of a sample (forward). */
  @Override
  public void setDeterministic(boolean on) {
    this.deterministic = on;
  }

  /** Where the decoder's noise comes from ({@link NoiseSource#SILENT} for none). */
  public void setNoise(NoiseSource source) {
    stream.setNoise(source);
  }

  /**
   * Forward or decoder: processes one block. {@code input} is {@code [channels][blockSize]} audio
   * (forward) or {@code [latentDimensions][blockSize]} latent frames (decoder); {@code output} is
   * {@code [channels][samples]} and is overwritten.
   */
  @Override
  public void process(float[][] input, float[][] output) {
    switch (stream.method()) {
      case FORWARD -> {
        requireRows("this model takes " + channels + " channel(s)", input, channels);
        StreamingModel.runBlock(stream.encoderGraph(), input, raw);
        latentBetween(raw);
      }
      case DECODE -> {
        requireRows("this decoder takes " + latentDimensions() + " latent dimensions", input, latentDimensions());
        for (int d = 0; d < latent.length; d++) {
          System.arraycopy(input[d], 0, latent[d], 0, latent[d].length);
        }
        editOnly();
      }
      case ENCODE -> throw new IllegalStateException("an encoder gives latent frames: use encode()");
    }
    StreamingModel.runBlock(stream.decoderGraph(), latent, output);
  }

  /** Between encoder and decoder: the latent step, then the live edit. */
  private void latentBetween(float[][] rawRows) {
    latentStep.sample(rawRows, latent, deterministic);
    LatentStep.edit(latent, control, latentEdit);
  }

  /** A decoder's input goes through the live edit only. */
  private void editOnly() {
    LatentStep.edit(latent, control, latentEdit);
  }

  /** Encoder: one audio block to {@code [latent][blockSize / ratio]} (the mean when deterministic). */
  @Override
  public void encode(float[][] input, float[][] latentOut) {
    requireRows("this model takes " + channels + " channel(s)", input, channels);
    StreamingModel.runBlock(stream.encoderGraph(), input, raw);
    latentStep.sample(raw, latentOut, deterministic);
  }

  private static void requireRows(String what, float[][] rows, int expected) {
    if (rows.length != expected) {
      throw new IllegalArgumentException(what + ", got " + rows.length);
    }
  }

  /** Output samples per block. */
  @Override
  public int outputLength() {
    return switch (stream.method()) {
      case ENCODE -> blockSize / model.ratio();
      case DECODE -> blockSize * model.ratio();
      case FORWARD -> blockSize;
    };
  }

  /** Number of values held in the stream's buffers (fixed once the processor is made). */
  public long cachedValues() {
    return stream.bufferedValues();
  }

  /** Forgets the stream's history (as after silence). */
  @Override
  public void reset() {
    stream.reset();
  }

  public StreamingModel.Snapshot snapshot() {
    return stream.snapshot();
  }

  public void restore(StreamingModel.Snapshot snapshot) {
    stream.restore(snapshot);
  }

  /** The per-kernel time of the encoder and decoder graphs, once profiling was switched on. */
  public java.util.Map<String, Long> profile() {
    java.util.Map<String, Long> all = new java.util.LinkedHashMap<>();
    if (stream.encoderGraph() != null) {
      stream.encoderGraph().profile().forEach((k, v) -> all.put("encoder " + k, v));
    }
    if (stream.decoderGraph() != null) {
      stream.decoderGraph().profile().forEach((k, v) -> all.put("decoder " + k, v));
    }
    return all;
  }

  /** Starts (or stops) timing every kernel; see {@link #profile()}. */
  public void setProfiling(boolean on) {
    if (stream.encoderGraph() != null) {
      stream.encoderGraph().setProfiling(on);
    }
    if (stream.decoderGraph() != null) {
      stream.decoderGraph().setProfiling(on);
    }
  }

  @Override
  public void close() {
    latentStep.close();
    stream.close();
  }
}
