package org.jrave.streaming;

/** Makes the {@link BlockProcessor}s of one model: forward, encoder, decoder. */
public interface BlockProcessors {

  /** Audio samples per latent frame. */
  int ratio();

  /** Audio to audio in blocks of {@code blockSize} samples (a multiple of the ratio). */
  BlockProcessor forward(int blockSize);

  /** Audio blocks of {@code blockSize} samples to {@code blockSize / ratio} latent frames. */
  BlockProcessor encoder(int blockSize);

  /** Blocks of {@code frames} latent frames to {@code frames * ratio} samples. */
  BlockProcessor decoder(int frames);
}
