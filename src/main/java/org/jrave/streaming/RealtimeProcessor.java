package org.jrave.streaming;

import java.util.function.UnaryOperator;
import org.jrave.engine.Device;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
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
 * {@link #latency()} samples. Every block runs in its own native scope, so its temporaries are freed
 * before {@code process} returns, and the caches are the only native memory that persists. Not
 * thread-safe: call {@code process} from one audio thread; {@link #latentControl()} may be changed
 * from any thread.
 */
public final class RealtimeProcessor implements BlockProcessor {

  private final RaveModel model;
  private final StreamingModel stream;
  private final int blockSize;
  private final int channels;
  private final LatentControl control;
  private volatile boolean deterministic;
  private volatile NoiseSource noise = NoiseSource.RANDOM;
  private volatile UnaryOperator<Tensor> latentEdit;
  private final Device device;

  private RealtimeProcessor(RaveModel model, StreamingModel.Method method, int blockSize) {
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
    this.device = model.device();
    this.control = new LatentControl(model.config().latentSize());
    this.latentEdit = control::apply;
    try (NoGrad ignored = NoGrad.enter()) {
      this.stream = new StreamingModel(model, method);
    }
  }

  /** The processors of a native model. */
  public static BlockProcessors of(RaveModel model) {
    return new BlockProcessors() {
      @Override
      public int ratio() {
        return model.ratio();
      }

      @Override
      public BlockProcessor forward(int blockSize) {
        return RealtimeProcessor.forward(model, blockSize);
      }

      @Override
      public BlockProcessor encoder(int blockSize) {
        return RealtimeProcessor.encoder(model, blockSize);
      }

      @Override
      public BlockProcessor decoder(int frames) {
        return RealtimeProcessor.decoder(model, frames);
      }
    };
  }

  /** Audio to audio in blocks of {@code blockSize} samples (a multiple of the model's ratio). */
  public static RealtimeProcessor forward(RaveModel model, int blockSize) {
    return new RealtimeProcessor(model, StreamingModel.Method.FORWARD, blockSize);
  }

  /** Audio blocks of {@code blockSize} samples to {@code blockSize / ratio} latent frames. */
  public static RealtimeProcessor encoder(RaveModel model, int blockSize) {
    return new RealtimeProcessor(model, StreamingModel.Method.ENCODE, blockSize);
  }

  /** Blocks of {@code frames} latent frames to {@code frames * ratio} samples. */
  public static RealtimeProcessor decoder(RaveModel model, int frames) {
    return new RealtimeProcessor(model, StreamingModel.Method.DECODE, frames);
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
   * Called on the audio thread inside the block's native scope.
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
    this.noise = source;
  }

  /**
   * Forward or decoder: processes one block. {@code input} is {@code [channels][blockSize]} audio
   * (forward) or {@code [latentDimensions][blockSize]} latent frames (decoder); {@code output} is
   * {@code [channels][samples]} and is overwritten.
   */
  @Override
  public void process(float[][] input, float[][] output) {
    try (TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      Tensor y = switch (stream.method()) {
        case FORWARD -> stream.forward(audio(input), deterministic, latentEdit, noise);
        case DECODE -> stream.decode(latentEdit.apply(latent(input)), noise);
        case ENCODE -> throw new IllegalStateException("an encoder gives latent frames: use encode()");
      };
      copyOut(y, output);
    }
  }

  /** Encoder: one audio block to {@code [latent][blockSize / ratio]} (the mean when deterministic). */
  @Override
  public void encode(float[][] input, float[][] latentOut) {
    try (TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      Tensor raw = stream.encodeRaw(audio(input));
      Tensor z = deterministic ? model.encoder().deterministic(raw) : model.encoder().reparametrize(raw).z();
      copyOut(z, latentOut);
    }
  }

  private Tensor audio(float[][] input) {
    if (input.length != channels) {
      throw new IllegalArgumentException("this model takes " + channels + " channel(s), got " + input.length);
    }
    return fromRows(input, blockSize);
  }

  private Tensor latent(float[][] input) {
    if (input.length != latentDimensions()) {
      throw new IllegalArgumentException("this decoder takes " + latentDimensions() + " latent dimensions, got "
          + input.length);
    }
    return fromRows(input, blockSize);
  }

  private Tensor fromRows(float[][] rows, int length) {
    float[] flat = new float[rows.length * length];
    for (int c = 0; c < rows.length; c++) {
      if (rows[c].length != length) {
        throw new IllegalArgumentException("every row of a block must have " + length + " values, row " + c
            + " has " + rows[c].length);
      }
      System.arraycopy(rows[c], 0, flat, c * length, length);
    }
    return Tensor.fromFloats(flat, 1, rows.length, length).to(device);
  }

  private static void copyOut(Tensor y, float[][] output) {
    int rows = (int) y.size(1);
    int length = (int) y.size(2);
    if (output.length != rows || output[0].length != length) {
      throw new IllegalArgumentException("the output block must be [" + rows + "][" + length + "]");
    }
    float[] flat = y.toFloatArray();
    for (int c = 0; c < rows; c++) {
      System.arraycopy(flat, c * length, output[c], 0, length);
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

  /** Number of values held in the stream's caches (constant once the stream runs). */
  public long cachedValues() {
    return stream.state().cachedValues();
  }

  /** Forgets the stream's history (as after silence). */
  public void reset() {
    stream.reset();
  }

  public StreamState.Snapshot snapshot() {
    return stream.snapshot();
  }

  public void restore(StreamState.Snapshot snapshot) {
    stream.restore(snapshot);
  }

  @Override
  public void close() {
    stream.close();
  }
}
