package org.jrave.inference;

import org.jrave.engine.Device;
import org.jrave.engine.Precision;
import org.jrave.model.RaveModel;

/** {@link AudioCodec} over a native jrave model; owns (and closes) the model. */
public final class NativeCodec implements AudioCodec {

  private final RaveModel model;
  private final OfflineCodec codec;
  private final Precision streamingPrecision;

  public NativeCodec(RaveModel model, Device device) {
    this(model, device, Precision.FP32);
  }

  /** @param streamingPrecision the precision of the block engine's weights when streaming */
  public NativeCodec(RaveModel model, Device device, Precision streamingPrecision) {
    this.model = model;
    this.codec = new OfflineCodec(model, device);
    this.streamingPrecision = streamingPrecision;
  }

  public RaveModel model() {
    return model;
  }

  @Override
  public String description() {
    return "jrave model " + model.config().name();
  }

  @Override
  public int sampleRate() {
    return model.config().sampleRate();
  }

  @Override
  public int inputChannels() {
    return model.config().channels();
  }

  @Override
  public int latentChannels() {
    return model.config().latentSize() + model.config().latent().noiseAugmentation();
  }

  @Override
  public int ratio() {
    return model.ratio();
  }

  @Override
  public float[][] encode(float[][] audio, OfflineCodec.Mode mode, boolean raw) {
    return codec.encode(audio, mode, raw);
  }

  @Override
  public float[][] decode(float[][] latent, OfflineCodec.Mode mode) {
    return codec.decode(latent, mode);
  }

  @Override
  public float[][] forward(float[][] audio, OfflineCodec.Mode mode) {
    return codec.forward(audio, mode);
  }

  @Override
  public org.jrave.streaming.BlockProcessors processors() {
    return org.jrave.streaming.RealtimeProcessor.of(model, streamingPrecision);
  }

  @Override
  public void close() {
    model.close();
  }
}
