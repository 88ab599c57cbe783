package org.jrave.studio;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import org.jrave.streaming.BlockProcessor;

/**
 * A processor that remembers, for each output block, the version of the latent settings in force
 * when it was computed. Output blocks are the live engine's preallocated buffers, so the tag is
 * keyed by the buffer itself (arrays compare by identity) and read when the block is played.
 */
final class VersionTaggedProcessor implements BlockProcessor {

  private final BlockProcessor delegate;
  private final IntSupplier version;
  private final Map<float[][], Integer> tags = new ConcurrentHashMap<>();

  VersionTaggedProcessor(BlockProcessor delegate, IntSupplier version) {
    this.delegate = delegate;
    this.version = version;
  }

  /** The version {@code block} was computed with; -1 for silence the engine played instead. */
  int versionOf(float[][] block) {
    return tags.getOrDefault(block, -1);
  }

  @Override
  public void process(float[][] input, float[][] output) {
    int v = version.getAsInt();
    delegate.process(input, output);
    tags.put(output, v);
  }

  @Override
  public int blockSize() {
    return delegate.blockSize();
  }

  @Override
  public int channels() {
    return delegate.channels();
  }

  @Override
  public int latency() {
    return delegate.latency();
  }

  @Override
  public int sampleRate() {
    return delegate.sampleRate();
  }

  @Override
  public int latentDimensions() {
    return delegate.latentDimensions();
  }

  @Override
  public int outputLength() {
    return delegate.outputLength();
  }

  @Override
  public void setDeterministic(boolean on) {
    delegate.setDeterministic(on);
  }

  @Override
  public void encode(float[][] input, float[][] latentOut) {
    delegate.encode(input, latentOut);
  }

  @Override
  public void reset() {
    delegate.reset();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
