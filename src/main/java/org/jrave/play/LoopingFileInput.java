package org.jrave.play;

/**
 * A virtual capture device playing a signal in a loop, paced by a {@link SampleClock}: block
 * {@code n} becomes available only once the clock has passed its last sample, as when recording.
 */
public final class LoopingFileInput implements AudioInput {
  private final float[][] signal;
  private final SampleClock clock;
  private final String name;
  private long delivered;
  private int position;

  public LoopingFileInput(float[][] signal, SampleClock clock, String name) {
    if (signal.length == 0 || signal[0].length == 0) {
      throw new IllegalArgumentException("the input signal is empty");
    }
    this.signal = signal;
    this.clock = clock;
    this.name = name;
  }

  @Override
  public void read(float[][] block) throws InterruptedException {
    int frames = block[0].length;
    clock.awaitSample(delivered + frames);
    int length = signal[0].length;
    for (int i = 0; i < frames; i++) {
      for (int c = 0; c < block.length; c++) {
        block[c][i] = signal[c % signal.length][position];
      }
      position = position + 1 == length ? 0 : position + 1;
    }
    delivered += frames;
  }

  @Override
  public String describe() {
    return name + " (looped, virtual input paced at " + clock.sampleRate() + " Hz)";
  }

  @Override
  public void close() {}
}
