package org.jrave.studio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jrave.play.AudioOutput;
import org.jrave.play.SampleClock;

/**
 * The live engine's playback device when the listener is a browser: paced by a {@link SampleClock}
 * at the model's rate (with one block queued ahead, as a sound card), each block goes out as one
 * binary message: {@code int32 sequence, int32 control version, int32 frames} (little-endian), then
 * the first channel's float32 samples. The control version is that of the latent settings the block
 * was computed with, so the page can tell when a slider move is first heard.
 */
final class StreamOutput implements AudioOutput {

  static final int HEADER_BYTES = 12;

  private final SampleClock clock;
  private final int prefill;
  private final BoundedSender sender;
  private final VersionTaggedProcessor versions;
  private long written = -1;
  private long sequence;
  /** Written by the device thread, read by the stats thread. */
  private volatile long underruns;

  StreamOutput(SampleClock clock, int blockFrames, BoundedSender sender, VersionTaggedProcessor versions) {
    this.clock = clock;
    this.prefill = blockFrames;
    this.sender = sender;
    this.versions = versions;
  }

  @Override
  public void write(float[][] block) throws InterruptedException {
    int frames = block[0].length;
    if (written < 0) {
      clock.start();
      written = clock.now() + prefill;
    }
    long now = clock.now();
    if (now > written) {
      underruns = underruns + 1;
      written = now;
    }
    // Hold the block until it is within one block of being due, as a device's buffer would.
    clock.awaitSample(written - prefill);
    ByteBuffer message = ByteBuffer.allocate(HEADER_BYTES + 4 * frames).order(ByteOrder.LITTLE_ENDIAN);
    message.putInt((int) sequence++).putInt(versions.versionOf(block)).putInt(frames);
    for (float s : block[0]) {
      message.putFloat(s);
    }
    message.flip();
    sender.sendBinary(message);
    written += frames;
  }

  @Override
  public long underruns() {
    return underruns;
  }

  @Override
  public int bufferedSamples() {
    return prefill;
  }

  @Override
  public String describe() {
    return "browser stream";
  }

  @Override
  public void close() {}
}
