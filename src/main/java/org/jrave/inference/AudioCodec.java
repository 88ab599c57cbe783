package org.jrave.inference;

/**
 * Whole-signal encode/decode/forward on plain arrays, whatever runs underneath: a native jrave
 * model ({@link NativeCodec}) or an exported TorchScript model. Audio is
 * {@code [channels][samples]}, latents {@code [dimensions][frames]}, batch 1.
 */
public interface AudioCodec extends AutoCloseable {

  /** What was loaded, for messages. */
  String description();

  int sampleRate();

  /** Audio channels {@link #encode} and {@link #forward} take. */
  int inputChannels();

  /** Latent dimensions {@link #decode} takes. */
  int latentChannels();

  /** Audio samples per latent frame. */
  int ratio();

  /** The latent; {@code raw} asks for the encoder's raw output (not every codec has one). */
  float[][] encode(float[][] audio, OfflineCodec.Mode mode, boolean raw);

  float[][] decode(float[][] latent, OfflineCodec.Mode mode);

  /** Encode then decode; the output has the input's length. */
  float[][] forward(float[][] audio, OfflineCodec.Mode mode);

  /** Block-by-block processing of this model (the real-time engine). */
  org.jrave.streaming.BlockProcessors processors();

  @Override
  void close();
}
