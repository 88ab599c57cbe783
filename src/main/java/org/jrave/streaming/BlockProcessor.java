package org.jrave.streaming;

/**
 * One stream processed block after block (batch 1), whatever runs it: a native model
 * ({@link RealtimeProcessor}) or an exported TorchScript model. Outputs equal the offline outputs
 * delayed by {@link #latency()} samples.
 */
public interface BlockProcessor extends AutoCloseable {

  /** Samples per input block (latent frames per block for a decoder). */
  int blockSize();

  /** Audio channels. */
  int channels();

  /** The output's lag behind the offline output, in audio samples (0 when the model does not say). */
  int latency();

  int sampleRate();

  /** Latent dimensions a decoder block expects and an encoder block gives. */
  int latentDimensions();

  /** Output samples (or latent frames, for an encoder) per block. */
  int outputLength();

  /** Posterior mean instead of a sample, silent noise; not every processor can. */
  void setDeterministic(boolean on);

  /** Forward or decoder: one block in, one block out ({@code output} is overwritten). */
  void process(float[][] input, float[][] output);

  /** Encoder: one audio block to {@code [latent][blockSize / ratio]}. */
  void encode(float[][] input, float[][] latentOut);

  @Override
  void close();
}
