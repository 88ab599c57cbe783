package org.jrave.streaming;

import java.util.List;
import java.util.function.UnaryOperator;
import org.jrave.engine.Engine;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Precision;
import org.jrave.engine.Tensor;
import org.jrave.model.RaveModel;
import org.jrave.model.noise.NoiseSource;
import org.jrave.model.pqmf.Pqmf;
import org.jrave.streaming.graph.BlockGraph;
import org.jrave.streaming.graph.GraphBuilder;
import org.jrave.streaming.graph.Signal;
import org.jrave.streaming.graph.Workers;

/**
 * A {@link RaveModel} run block by block on the block engine ({@link BlockGraph}): encode-only,
 * decode-only or the full forward chain. Each output equals the offline output delayed by
 * {@link #latency()}, whether the model is causal or not.
 *
 * <p>The engine is prepared for one block size, the first one it is given (or the one named at
 * construction); later blocks must have that size or a multiple of it. Batches are of one stream.
 * The weights are packed when the engine is prepared: a model changed afterwards is not seen.
 */
public final class StreamingModel implements AutoCloseable {

  /** Which chain of the model is streamed. */
  public enum Method {
    ENCODE,
    DECODE,
    FORWARD
  }

  private final RaveModel model;
  private final Method method;
  private final boolean referenceTransient;
  private final Precision precision;
  private final int latency;
  private final int encoderLag;
  private final boolean warmUp;
  private BlockGraph encoder;
  private BlockGraph decoder;
  private NoiseSource noise = NoiseSource.RANDOM;
  private Workers workers;

  public StreamingModel(RaveModel model, Method method) {
    this(model, method, false, Precision.FP32);
  }

  /**
   * @param referenceTransient emit the start-of-stream transient as the reference does (needed to
   *     reproduce its block outputs bit for bit); by default the stream equals the delayed offline
   *     output from its first sample
   * @param precision the precision of the packed weights
   */
  public StreamingModel(RaveModel model, Method method, boolean referenceTransient, Precision precision) {
    this(model, method, referenceTransient, precision, true);
  }

  StreamingModel(RaveModel model, Method method, boolean referenceTransient, Precision precision, boolean warmUp) {
    this.warmUp = warmUp;
    this.model = model;
    this.method = method;
    this.referenceTransient = referenceTransient;
    this.precision = precision;
    // The lags follow from the layers' shapes alone, whatever the block size.
    Pqmf pqmf = model.pqmf();
    int lag = 0;
    if (method != Method.DECODE) {
      lag = model.encoder().streamLag(pqmf == null ? 0 : pqmf.analysisLag());
    }
    this.encoderLag = lag;
    if (method != Method.ENCODE) {
      int multiband = model.decoder().streamLag(lag);
      lag = pqmf == null ? multiband : pqmf.synthesisLag(multiband);
    }
    this.latency = lag;
  }

  public RaveModel model() {
    return model;
  }

  public Method method() {
    return method;
  }

  /** The output's lag behind the offline output: latent frames for ENCODE, audio samples otherwise. */
  public int latency() {
    return latency;
  }

  /** The lag in audio samples (for encode: frames times the ratio). */
  public int latencySamples() {
    return method == Method.ENCODE ? latency * model.ratio() : latency;
  }

  /** Where the decoder's noise comes from. */
  public void setNoise(NoiseSource source) {
    this.noise = java.util.Objects.requireNonNull(source);
    if (decoder != null) {
      decoder.noise().set(source);
    }
  }

  /**
   * Prepares the engine for audio blocks of {@code samples} (ENCODE, FORWARD) or latent blocks of
   * {@code samples / ratio} frames (DECODE: {@code samples} is then frames times the ratio).
   */
  public void prepare(int samples) {
    if (encoder != null || decoder != null) {
      return;
    }
    int ratio = model.ratio();
    if (samples <= 0 || samples % ratio != 0) {
      throw new IllegalArgumentException("a streaming block must be a positive multiple of the model's ratio ("
          + ratio + " samples), got " + samples);
    }
    if (warmUp) {
      EngineWarmup.ensureDone();
    }
    // One team for both halves: its threads stay awake from the encoder's last step to the decoder's first.
    workers = new Workers(Engine.threads());
    try (NoGrad ng = NoGrad.enter()) {
      if (method != Method.DECODE) {
        encoder = buildEncoder(samples);
        encoder.setWorkers(workers);
      }
      if (method != Method.ENCODE) {
        decoder = buildDecoder(samples / ratio);
        decoder.setWorkers(workers);
        decoder.noise().set(noise);
      }
    }
  }

  private BlockGraph buildEncoder(int samples) {
    GraphBuilder g = new GraphBuilder(referenceTransient, precision, model.device());
    g.keepFloat32From(samples / bands());
    int channels = model.config().channels();
    Signal audio = g.input("audio", channels, samples, 0);
    Signal bands = model.pqmf() == null ? audio : model.pqmf().lowerAnalysis(g, audio);
    Signal raw = model.encoder().lower(g, bands);
    check("encoder", raw.lag(), encoderLag);
    return g.build(List.of(audio), raw);
  }

  private BlockGraph buildDecoder(int frames) {
    GraphBuilder g = new GraphBuilder(referenceTransient, precision, model.device());
    g.keepFloat32From(frames * model.ratio() / bands());
    int latent = model.config().latentSize() + model.config().latent().noiseAugmentation();
    Signal z = g.input("latent", latent, frames, encoderLag);
    Signal multiband = model.decoder().lowerDecoder(g, z);
    Signal audio = model.pqmf() == null ? multiband : model.pqmf().lowerSynthesis(g, multiband);
    check("decoder", audio.lag(), latency);
    return g.build(List.of(z), audio);
  }

  private int bands() {
    return model.pqmf() == null ? 1 : model.pqmf().bands();
  }

  private static void check(String what, int graphLag, int planLag) {
    if (graphLag != planLag) {
      throw new IllegalStateException("the block engine's " + what + " lags " + graphLag
          + " samples where the layers' plan says " + planLag + ": a layer describes itself inconsistently");
    }
  }

  // ------------------------------------------------------------------ arrays (the real-time path)

  /**
   * A stream prepared only to describe its graphs (exports): float32 weights, exact from the first
   * sample, no JIT warm-up; {@code samples} as for {@link #prepare}.
   */
  public static StreamingModel forExport(RaveModel model, Method method, int samples) {
    StreamingModel stream = new StreamingModel(model, method, false, Precision.FP32, false);
    stream.prepare(samples);
    return stream;
  }

  /** The encoder's graph (ENCODE, FORWARD), once prepared. */
  public BlockGraph encoderGraph() {
    return encoder;
  }

  /** The decoder's graph (DECODE, FORWARD), once prepared. */
  public BlockGraph decoderGraph() {
    return decoder;
  }

  /** Runs one block through {@code graph}: {@code input} rows in, the output signal's rows out. */
  static void runBlock(BlockGraph graph, float[][] input, float[][] output) {
    graph.startBlock();
    write(graph.inputs().get(0), input);
    graph.run();
    read(graph.output(), output);
  }

  static void write(Signal s, float[][] rows) {
    if (rows.length != s.channels()) {
      throw new IllegalArgumentException("a block needs " + s.channels() + " rows, got " + rows.length);
    }
    for (int c = 0; c < rows.length; c++) {
      if (rows[c].length != s.block()) {
        throw new IllegalArgumentException("every row of a block must have " + s.block() + " values, row " + c
            + " has " + rows[c].length);
      }
      System.arraycopy(rows[c], 0, s.data(), s.blockStart(c), s.block());
    }
  }

  static void read(Signal s, float[][] rows) {
    if (rows.length != s.channels() || rows[0].length != s.block()) {
      throw new IllegalArgumentException("the output block must be [" + s.channels() + "][" + s.block() + "]");
    }
    for (int c = 0; c < rows.length; c++) {
      System.arraycopy(s.data(), s.blockStart(c), rows[c], 0, s.block());
    }
  }

  // ------------------------------------------------------------------ tensors (tools and tests)

  /** One audio block {@code [1, channels, samples]} to the encoder's raw output ({@code [mean | scale]}). */
  public Tensor encodeRaw(Tensor audio) {
    requireMethod(Method.ENCODE, Method.FORWARD);
    prepare((int) audio.size(2));
    return runTensor(encoder, audio);
  }

  /** One block of latent frames {@code [1, latent, frames]} to audio. */
  public Tensor decode(Tensor z, NoiseSource noiseSource) {
    requireMethod(Method.DECODE, Method.FORWARD);
    prepare((int) z.size(2) * model.ratio());
    decoder.noise().set(noiseSource);
    try {
      return runTensor(decoder, z);
    } finally {
      decoder.noise().set(noise);
    }
  }

  /** One audio block through encoder, latent step, {@code latentEdit} (for live control) and decoder. */
  public Tensor forward(Tensor audio, boolean deterministic, UnaryOperator<Tensor> latentEdit, NoiseSource noiseSource) {
    requireMethod(Method.FORWARD);
    Tensor raw = encodeRaw(audio);
    Tensor z = deterministic ? model.encoder().deterministic(raw) : model.encoder().reparametrize(raw).z();
    return decode(latentEdit.apply(z), noiseSource);
  }

  /** Runs a tensor block (one or several of the prepared size) through {@code graph}. */
  private static Tensor runTensor(BlockGraph graph, Tensor x) {
    Signal in = graph.inputs().get(0);
    Signal out = graph.output();
    if (x.dim() != 3 || x.size(0) != 1 || x.size(1) != in.channels()) {
      throw new IllegalArgumentException("a streaming block must be [1, " + in.channels() + ", samples], got "
          + java.util.Arrays.toString(x.shape()));
    }
    long length = x.size(2);
    if (length % in.block() != 0) {
      throw new IllegalArgumentException("this stream was prepared for blocks of " + in.block()
          + " (or multiples), got " + length);
    }
    int pieces = (int) (length / in.block());
    float[] values = x.toFloatArray();
    float[] result = new float[out.channels() * out.block() * pieces];
    for (int p = 0; p < pieces; p++) {
      graph.startBlock();
      for (int c = 0; c < in.channels(); c++) {
        System.arraycopy(values, (int) (c * length + (long) p * in.block()), in.data(), in.blockStart(c), in.block());
      }
      graph.run();
      for (int c = 0; c < out.channels(); c++) {
        System.arraycopy(out.data(), out.blockStart(c), result, (c * pieces + p) * out.block(), out.block());
      }
    }
    return Tensor.fromFloats(result, 1, out.channels(), (long) out.block() * pieces).to(x.device());
  }

  private void requireMethod(Method... allowed) {
    for (Method m : allowed) {
      if (m == method) {
        return;
      }
    }
    throw new IllegalStateException("this stream was opened for " + method);
  }

  /** Forgets the stream's history: the next block starts as if after silence. */
  public void reset() {
    if (encoder != null) {
      encoder.reset();
    }
    if (decoder != null) {
      decoder.reset();
    }
  }

  /** The stream's state now (both halves of a forward stream). Close it when done. */
  public Snapshot snapshot() {
    return new Snapshot(this, encoder == null ? null : encoder.snapshot(), decoder == null ? null : decoder.snapshot());
  }

  public void restore(Snapshot snapshot) {
    if (snapshot.owner != this) {
      throw new IllegalArgumentException("a snapshot can only be restored into the stream it was taken from");
    }
    if (snapshot.encoder != null) {
      encoder.restore(snapshot.encoder);
    }
    if (snapshot.decoder != null) {
      decoder.restore(snapshot.decoder);
    }
  }

  /** Values held in the stream's buffers (fixed once prepared). */
  public long bufferedValues() {
    return (encoder == null ? 0 : encoder.bufferedValues()) + (decoder == null ? 0 : decoder.bufferedValues());
  }

  @Override
  public void close() {
    if (workers != null) {
      workers.close();
    }
    if (encoder != null) {
      encoder.close();
    }
    if (decoder != null) {
      decoder.close();
    }
  }

  /** A saved state of a stream. */
  public static final class Snapshot implements AutoCloseable {
    private final StreamingModel owner;
    private final BlockGraph.Snapshot encoder;
    private final BlockGraph.Snapshot decoder;

    private Snapshot(StreamingModel owner, BlockGraph.Snapshot encoder, BlockGraph.Snapshot decoder) {
      this.owner = owner;
      this.encoder = encoder;
      this.decoder = decoder;
    }

    @Override
    public void close() {
      if (encoder != null) {
        encoder.close();
      }
      if (decoder != null) {
        decoder.close();
      }
    }
  }
}
