package org.jrave.play;

/** Where live audio goes: blocks of planar float samples at the model's rate. */
public interface AudioOutput extends AutoCloseable {

  /** Queues {@code block} for playback, waiting while the device's buffer is full. */
  void write(float[][] block) throws InterruptedException;

  /** Times the device ran out of audio and played silence instead. */
  long underruns();

  /** Samples queued ahead of playback when the stream runs steadily (the output's latency). */
  int bufferedSamples();

  String describe();

  @Override
  void close();
}
