package org.jrave.audio;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.nio.charset.StandardCharsets;

/** Process-wide FFmpeg setup and error texts. */
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
}
