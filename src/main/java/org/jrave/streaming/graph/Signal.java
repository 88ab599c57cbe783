package org.jrave.streaming.graph;

/**
 * One activation of a {@link BlockGraph}: {@code channels} rows of {@code block} new samples per
 * block, preceded in the same row by the {@code history} samples its consumers still need. The
 * buffer is allocated once, when the graph is built, and never moves: a block is written at column
 * {@link #head()} of every row, consumers read it (or, delayed by {@code d}, the columns from
 * {@code head() - d}), and {@link #advance()} then slides each row left by one block.
 *
 * <p>{@code lag} is how many samples the stream of this signal runs behind the offline signal; the
 * first {@code lag} samples ever produced belong to times before the offline signal starts, where a
 * convolution would see zero padding: convolutions read them as zeros ({@link ConvKernel}), unless
 * the graph reproduces the reference's start-of-stream transient.
 */
public final class Signal {
  private final String name;
  private final int channels;
  private final int block;
  private final int lag;
  private int history;
  private float[] data;
  private long produced;

  Signal(String name, int channels, int block, int lag) {
    if (channels <= 0 || block <= 0) {
      throw new IllegalArgumentException(name + ": a signal needs channels and samples, got " + channels + " x " + block);
    }
    this.name = name;
    this.channels = channels;
    this.block = block;
    this.lag = lag;
  }

  public String name() {
    return name;
  }

  public int channels() {
    return channels;
  }

  /** New samples per block. */
  public int block() {
    return block;
  }

  /** Samples this stream runs behind the offline signal. */
  public int lag() {
    return lag;
  }

  /** Samples kept before the block in every row. */
  public int history() {
    return history;
  }

  /** Distance between the starts of two rows in {@link #data()}. */
  public int rowStride() {
    return history + block;
  }

  /** Column of the block's first sample in every row. */
  public int head() {
    return history;
  }

  /** Index in {@link #data()} of row {@code channel}'s first new sample. */
  public int blockStart(int channel) {
    return channel * rowStride() + history;
  }

  public float[] data() {
    return data;
  }

  /** A consumer needs {@code samples} samples of history before the block. */
  void requireHistory(int samples) {
    if (data != null) {
      throw new IllegalStateException(name + ": history requested after allocation");
    }
    history = Math.max(history, samples);
  }

  void allocate() {
    data = new float[channels * rowStride()];
  }

  /** Counts the block just produced. */
  void produced() {
    produced += block;
  }

  /** Blocks' worth of samples produced since the start (or the last reset). */
  long samplesProduced() {
    return produced;
  }

  /** Slides every row left by one block, keeping the last {@code history} samples. */
  void advance() {
    if (history == 0) {
      return;
    }
    int stride = rowStride();
    for (int c = 0; c < channels; c++) {
      int row = c * stride;
      System.arraycopy(data, row + block, data, row, history);
    }
  }

  void reset() {
    java.util.Arrays.fill(data, 0f);
    produced = 0;
  }

  /** The mutable state (samples and counter), for snapshots. */
  State save() {
    return new State(data.clone(), produced);
  }

  void restore(State state) {
    System.arraycopy(state.data, 0, data, 0, data.length);
    produced = state.produced;
  }

  record State(float[] data, long produced) {}

  @Override
  public String toString() {
    return name + "[" + channels + " x " + block + ", lag " + lag + ", history " + history + "]";
  }
}
