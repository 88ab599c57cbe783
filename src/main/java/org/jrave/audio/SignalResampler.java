package org.jrave.audio;

import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_out_samples;

import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.PointerScope;

/**
 * Resamples whole planar float signals in memory with libswresample, using the same long
 * windowed-sinc filter as the decoder (filter size 64, Kaiser beta 12, cutoff 0.97). The result has
 * exactly {@code round(frames * to / from)} frames and is aligned with the input (the filter delay
 * is compensated by libswresample).
 */
public final class SignalResampler {
  private SignalResampler() {}

  public static float[][] resample(float[][] signal, int fromRate, int toRate) {
    if (fromRate <= 0 || toRate <= 0) {
      throw new IllegalArgumentException("sampling rates must be positive: " + fromRate + " -> " + toRate);
    }
    if (fromRate == toRate || signal.length == 0) {
      return signal;
    }
    Ffmpeg.init();
    int channels = signal.length;
    int frames = signal[0].length;
    int expected = (int) Math.round((double) frames * toRate / fromRate);
    float[][] out = new float[channels][expected];
    try (PointerScope scope = new PointerScope()) {
      AVChannelLayout layout = new AVChannelLayout();
      av_channel_layout_default(layout, channels);
      SwrContext swr = new SwrContext(null);
      try {
        Ffmpeg.setUpResampler(swr, layout, AV_SAMPLE_FMT_FLTP, fromRate, toRate);
        FloatPointer[] in = new FloatPointer[channels];
        for (int c = 0; c < channels; c++) {
          in[c] = new FloatPointer(Math.max(1, frames));
          in[c].put(signal[c], 0, frames);
        }
        int capacity = swr_get_out_samples(swr, frames) + 4096;
        FloatPointer[] planes = new FloatPointer[channels];
        for (int c = 0; c < channels; c++) {
          planes[c] = new FloatPointer(capacity);
        }
        PointerPointer<FloatPointer> inPtr = new PointerPointer<>(in);
        PointerPointer<FloatPointer> outPtr = new PointerPointer<>(planes);
        int written = 0;
        int got = swr_convert(swr, outPtr, capacity, inPtr, frames);
        written = deliver(planes, got, out, written);
        // Drain what is still inside the filter.
        while ((got = swr_convert(swr, outPtr, capacity, (PointerPointer<?>) null, 0)) > 0 && written < expected) {
          written = deliver(planes, got, out, written);
        }
        if (got < 0) {
          throw new IllegalStateException("resampling failed: " + Ffmpeg.errorText(got));
        }
      } finally {
        swr_free(swr);
        av_channel_layout_uninit(layout);
      }
    }
    return out;
  }

  private static int deliver(FloatPointer[] planes, int got, float[][] out, int written) {
    if (got < 0) {
      throw new IllegalStateException("resampling failed: " + Ffmpeg.errorText(got));
    }
    int n = Math.min(got, out[0].length - written);
    for (int c = 0; c < out.length && n > 0; c++) {
      planes[c].get(out[c], written, n);
    }
    return written + Math.max(n, 0);
  }
}
