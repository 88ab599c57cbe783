package org.jrave.cli;

import java.util.Locale;

/** Human-readable durations: "1 h 02 min 03.4 s", "12 min 05.0 s", "3.21 s". */
final class Durations {
  private Durations() {}

  static String format(double seconds) {
    long whole = (long) seconds;
    long h = whole / 3600;
    long m = whole % 3600 / 60;
    double s = seconds - h * 3600 - m * 60;
    if (h > 0) {
      return String.format(Locale.ROOT, "%d h %02d min %04.1f s", h, m, s);
    }
    if (m > 0) {
      return String.format(Locale.ROOT, "%d min %04.1f s", m, s);
    }
    return String.format(Locale.ROOT, "%.2f s", seconds);
  }
}
