package org.jrave.audio;

import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_out_samples;

import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * libswresample converting decoded frames (any sample format) to planar float at the target rate,
 * keeping the channel count (channel mapping is done in Java, where it is explicit and tested).
 * Reconfigures itself, after draining, if a stream changes format mid-way (chained Ogg).
 */
final class Resampler implements AutoCloseable {
  /** Receives planar float blocks; the arrays are reused. */
  interface Block {
    void accept(float[][] planar, int frames, int channels);
  }

  private final int targetRate;
  private SwrContext swr;
  private AVChannelLayout layout;
  private int inFormat = -1;
  private int inRate;
  private int channels;
  private int outRate;
  private FloatPointer[] planes = new FloatPointer[0];
  private PointerPointer<FloatPointer> planePointers;
  private int capacity;
  private float[][] block = new float[0][];

  /** {@code targetRate} 0 keeps the input rate. */
  Resampler(int targetRate) {
    this.targetRate = targetRate;
  }

  void convert(AVFrame frame, Block sink) {
    int nbChannels = frame.ch_layout().nb_channels();
    if (swr == null || frame.format() != inFormat || frame.sample_rate() != inRate || nbChannels != channels) {
      if (swr != null) {
        flush(sink);
        release();
      }
      configure(frame.format(), frame.sample_rate(), nbChannels);
    }
    int n = frame.nb_samples();
    ensureCapacity(swr_get_out_samples(swr, n));
    int got = swr_convert(swr, planePointers, capacity, frame.extended_data(), n);
    if (got < 0) {
      throw new IllegalStateException("resampling failed: " + Ffmpeg.errorText(got));
    }
    deliver(got, sink);
  }

  /** Drains the samples still inside the resampling filter. */
  void flush(Block sink) {
    if (swr == null) {
      return;
    }
    while (true) {
      ensureCapacity(Math.max(swr_get_out_samples(swr, 0), 1024));
      int got = swr_convert(swr, planePointers, capacity, (PointerPointer<?>) null, 0);
      if (got <= 0) {
        return;
      }
      deliver(got, sink);
    }
  }

  private void configure(int format, int rate, int nbChannels) {
    inFormat = format;
    inRate = rate;
    channels = nbChannels;
    outRate = targetRate == 0 ? rate : targetRate;
    layout = new AVChannelLayout();
    av_channel_layout_default(layout, nbChannels);
    swr = new SwrContext(null);
    Ffmpeg.setUpResampler(swr, layout, format, rate, outRate);
  }

  private void ensureCapacity(int frames) {
    if (frames <= capacity && planes.length == channels) {
      return;
    }
    freePlanes();
    capacity = Math.max(frames, 4096);
    planes = new FloatPointer[channels];
    for (int c = 0; c < channels; c++) {
      planes[c] = new FloatPointer(capacity);
    }
    planePointers = new PointerPointer<>(planes);
    block = new float[channels][capacity];
  }

  private void deliver(int frames, Block sink) {
    if (frames == 0) {
      return;
    }
    for (int c = 0; c < channels; c++) {
      planes[c].get(block[c], 0, frames);
    }
    sink.accept(block, frames, channels);
  }

  private void release() {
    if (swr != null) {
      swr_free(swr);
      swr = null;
    }
    if (layout != null) {
      av_channel_layout_uninit(layout);
      layout.close();
      layout = null;
    }
  }

  private void freePlanes() {
    for (FloatPointer p : planes) {
      p.close();
    }
    if (planePointers != null) {
      planePointers.close();
      planePointers = null;
    }
    planes = new FloatPointer[0];
    capacity = 0;
  }

  @Override
  public void close() {
    release();
    freePlanes();
  }
}
