package org.jrave.audio;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set_double;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set_int;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

import java.nio.charset.StandardCharsets;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.swresample.SwrContext;

/** Process-wide FFmpeg setup, error texts and the resampling filter jrave uses everywhere. */
final class Ffmpeg {
  static {
    // FFmpeg's own logging would print half-sentences about every damaged file to stderr; jrave
    // reports each problem once, with the file name, through AudioDecodeException instead.
    av_log_set_level(AV_LOG_QUIET);
  }

  private Ffmpeg() {}

  /** Forces the native libraries to load and the log level to be set. */
  static void init() {}

  static String errorText(int code) {
    byte[] buf = new byte[256];
    if (av_strerror(code, buf, buf.length) < 0) {
      return "FFmpeg error " + code;
    }
    int n = 0;
    while (n < buf.length && buf[n] != 0) {
      n++;
    }
    return new String(buf, 0, n, StandardCharsets.UTF_8);
  }

  /**
   * Sets {@code swr} up to convert {@code inFormat} at {@code inRate} into planar float at
   * {@code outRate}, same channel layout; the caller frees it. The decoder and
   * {@link SignalResampler} share this filter so that every resampled signal sounds alike.
   */
  static void setUpResampler(SwrContext swr, AVChannelLayout layout, int inFormat, int inRate, int outRate) {
    int err = swr_alloc_set_opts2(swr, layout, AV_SAMPLE_FMT_FLTP, outRate, layout, inFormat, inRate, 0, null);
    if (err < 0 || swr.isNull()) {
      throw new IllegalStateException("cannot set up resampling: " + errorText(err));
    }
    // Higher quality than the defaults (filter_size 32, Kaiser beta 9): longer windowed-sinc
    // filters give a steeper transition band, so less aliasing and less treble lost near Nyquist.
    av_opt_set_int(swr, "filter_size", 64, 0);
    av_opt_set_int(swr, "phase_shift", 12, 0);
    av_opt_set_double(swr, "cutoff", 0.97, 0);
    av_opt_set_double(swr, "kaiser_beta", 12, 0);
    err = swr_init(swr);
    if (err < 0) {
      throw new IllegalStateException("cannot set up resampling: " + errorText(err));
    }
  }
}
