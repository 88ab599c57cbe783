package org.jrave.streaming.graph;

/**
 * The shape of a convolution over a block, in the form the graph computes every convolution-like
 * layer: output rows {@code q} of {@code groups}-grouped taps over the input, each row read from
 * {@code inChannels / groups} input channels, {@code kernel} taps {@code dilation} apart, every
 * {@code stride} samples. With {@code phases > 1} row {@code q} is phase {@code q % phases} of
 * output channel {@code q / phases}: output sample {@code t * phases + phase}. That one form covers
 * plain, strided and dilated convolutions, transposed convolutions (stride s: s phases of a
 * kernel over the input) and the PQMF's synthesis (bands phases).
 *
 * @param padding samples of history that lengthen the window (a convolution's zero padding, the
 *     taps of a transposed convolution that reach into earlier frames)
 * @param readOffset how far before the block's head the window starts (the padding plus any
 *     delay that aligns a stride)
 */
public record ConvShape(int inChannels, int outRows, int kernel, int stride, int dilation, int groups, int phases,
    int padding, int readOffset) {

  public ConvShape {
    if (inChannels % groups != 0 || (outRows / phases) % groups != 0 || outRows % phases != 0) {
      throw new IllegalArgumentException("channels do not divide into groups: " + this);
    }
  }

  public int outChannels() {
    return outRows / phases;
  }

  /** Weights per output row. */
  public int rowLength() {
    return inChannels / groups * kernel;
  }

  /** The first column of the im2col matrix that row {@code q} reads. */
  int groupOffset(int q) {
    int group = (q / phases) / (outChannels() / groups);
    return group * rowLength();
  }

  /** Output samples per row for an input block of {@code block} samples. */
  int outputLength(int block) {
    int span = (kernel - 1) * dilation + 1;
    int length = (block + padding - span) / stride + 1;
    if (length <= 0 || (length - 1) * stride + span > block + padding || readOffset < padding) {
      throw new IllegalArgumentException("a block of " + block + " samples is too short for " + this);
    }
    return length;
  }
}
