package org.jrave.streaming;

import java.util.function.UnaryOperator;
import org.jrave.engine.Tensor;
import org.jrave.model.RaveModel;
import org.jrave.model.noise.NoiseSource;
import org.jrave.model.pqmf.Pqmf;

/**
 * A {@link RaveModel} run block by block: encode-only, decode-only or the full forward chain, with
 * its own {@link StreamState}. Blocks are {@code [batch, channels, samples]} audio (a multiple of
 * the model's ratio) or {@code [batch, latent, frames]} latents. Each output equals the offline
 * output delayed by {@link #latency()}, whether the model is causal or not.
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
  private final StreamState state;
  private final int latency;

  public StreamingModel(RaveModel model, Method method) {
    this(model, method, new StreamState());
  }

  public StreamingModel(RaveModel model, Method method, StreamState state) {
    this.model = model;
    this.method = method;
    this.state = state;
    Pqmf pqmf = model.pqmf();
    int lag = 0;
    if (method != Method.DECODE) {
      int bandFrames = pqmf == null ? 0 : pqmf.prepareAnalysis(state);
      lag = model.encoder().prepareStreaming(bandFrames, state);
    }
    if (method != Method.ENCODE) {
      int multiband = model.decoder().prepareStreaming(lag, state);
      lag = pqmf == null ? multiband : pqmf.prepareSynthesis(multiband, state);
    }
    this.latency = lag;
  }

  public RaveModel model() {
    return model;
  }

  public Method method() {
    return method;
  }

  /**
   * The output's lag behind the offline output: latent frames for {@link Method#ENCODE}, audio
   * samples otherwise.
   */
  public int latency() {
    return latency;
  }

  /** The lag in audio samples (for encode: frames times the ratio). */
  public int latencySamples() {
    return method == Method.ENCODE ? latency * model.ratio() : latency;
  }

  /** One audio block to the encoder's raw output ({@code [mean | scale]} for a VAE). */
  public Tensor encodeRaw(Tensor audio) {
    requireMethod(Method.ENCODE, Method.FORWARD);
    if (audio.size(2) % model.ratio() != 0) {
      throw new IllegalArgumentException("a streaming block must be a multiple of the model's ratio ("
          + model.ratio() + " samples), got " + audio.size(2));
    }
    return model.encoder().forwardStreaming(analyze(audio), state);
  }

  /** One block of latent frames to audio. */
  public Tensor decode(Tensor z, NoiseSource noise) {
    requireMethod(Method.DECODE, Method.FORWARD);
    return synthesize(model.decoder().decodeStreaming(z, noise, state));
  }

  /**
   * One audio block through encoder, latent step, {@code latentEdit} (for live control) and
   * decoder.
   */
  public Tensor forward(Tensor audio, boolean deterministic, UnaryOperator<Tensor> latentEdit, NoiseSource noise) {
    requireMethod(Method.FORWARD);
    Tensor raw = encodeRaw(audio);
    Tensor z = deterministic ? model.encoder().deterministic(raw) : model.encoder().reparametrize(raw).z();
    return decode(latentEdit.apply(z), noise);
  }

  private Tensor analyze(Tensor audio) {
    Pqmf pqmf = model.pqmf();
    if (pqmf == null) {
      return audio;
    }
    long b = audio.size(0);
    long c = audio.size(1);
    long t = audio.size(2);
    return pqmf.analyzeStreaming(audio.reshape(b * c, 1, t), state).reshape(b, c * pqmf.bands(), t / pqmf.bands());
  }

  private Tensor synthesize(Tensor multiband) {
    Pqmf pqmf = model.pqmf();
    if (pqmf == null) {
      return multiband;
    }
    long b = multiband.size(0);
    long c = multiband.size(1) / pqmf.bands();
    long t = multiband.size(2);
    return pqmf.synthesizeStreaming(multiband.reshape(b * c, pqmf.bands(), t), state).reshape(b, c, t * pqmf.bands());
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
    state.reset();
  }

  public StreamState.Snapshot snapshot() {
    return state.snapshot();
  }

  public void restore(StreamState.Snapshot snapshot) {
    state.restore(snapshot);
  }

  public StreamState state() {
    return state;
  }

  @Override
  public void close() {
    state.close();
  }
}
