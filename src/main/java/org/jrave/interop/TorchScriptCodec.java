package org.jrave.interop;

import org.jrave.inference.AudioCodec;
import org.jrave.inference.OfflineCodec;

/**
 * {@link AudioCodec} over an nn~ TorchScript model's {@code encode}/{@code decode}/{@code forward}.
 * Such models draw their noise inside the compiled code, so only {@link OfflineCodec.Mode#RANDOM}
 * is available, and they expose no raw encoder output. Owns (and closes) the model.
 */
public final class TorchScriptCodec implements AudioCodec {

  private final TorchScriptModel model;

  public TorchScriptCodec(TorchScriptModel model) {
    this.model = model;
  }

  public TorchScriptModel model() {
    return model;
  }

  @Override
  public String description() {
    return "TorchScript model " + model.file().getFileName();
  }

  @Override
  public int sampleRate() {
    return model.sampleRate();
  }

  @Override
  public int inputChannels() {
    return model.method("forward").or(() -> model.method("encode"))
        .map(TorchScriptModel.MethodSpec::inChannels)
        .orElseThrow(() -> new IllegalArgumentException(model.file() + " has neither a forward nor an encode method"));
  }

  @Override
  public int latentChannels() {
    return model.requireMethod("decode").inChannels();
  }

  @Override
  public int ratio() {
    TorchScriptModel.MethodSpec m = model.requireMethod("encode");
    return m.outRatio() / m.inRatio();
  }

  @Override
  public float[][] encode(float[][] audio, OfflineCodec.Mode mode, boolean raw) {
    requireRandom(mode);
    if (raw) {
      throw new IllegalArgumentException("a TorchScript model exposes no raw encoder output: encode without --raw");
    }
    return model.run("encode", audio);
  }

  @Override
  public float[][] decode(float[][] latent, OfflineCodec.Mode mode) {
    requireRandom(mode);
    return model.run("decode", latent);
  }

  @Override
  public float[][] forward(float[][] audio, OfflineCodec.Mode mode) {
    requireRandom(mode);
    return model.run("forward", audio);
  }

  private static void requireRandom(OfflineCodec.Mode mode) {
    if (mode != OfflineCodec.Mode.RANDOM) {
      throw new IllegalArgumentException("--deterministic is not available for TorchScript models: their "
          + "sampling and noise happen inside the compiled code");
    }
  }

  @Override
  public org.jrave.streaming.BlockProcessors processors() {
    return new TorchScriptProcessors(model);
  }

  @Override
  public void close() {
    model.close();
  }
}
