package org.jrave.play;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Log-magnitude STFT images (Hann window, {@value #FFT} points, hop {@value #HOP}) of one or more
 * signals stacked top to bottom, low frequencies at the bottom of each panel, written as PNG with
 * {@code javax.imageio}. Long signals are max-pooled in time to at most {@value #MAX_WIDTH} columns.
 */
public final class Spectrogram {
  static final int FFT = 1024;
  static final int HOP = 256;
  static final int MAX_WIDTH = 1600;
  private static final double FLOOR_DB = -90;

  private Spectrogram() {}

  /** Magnitudes in dB relative to full scale, {@code [frames][FFT / 2]}. */
  public static float[][] magnitudesDb(float[] signal) {
    int frames = Math.max(1, (signal.length + HOP - 1) / HOP);
    float[][] out = new float[frames][FFT / 2];
    double[] window = new double[FFT];
    double windowSum = 0;
    for (int i = 0; i < FFT; i++) {
      window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / FFT);
      windowSum += window[i];
    }
    double[] re = new double[FFT];
    double[] im = new double[FFT];
    for (int f = 0; f < frames; f++) {
      int centre = f * HOP;
      for (int i = 0; i < FFT; i++) {
        int s = centre - FFT / 2 + i;
        re[i] = s >= 0 && s < signal.length ? signal[s] * window[i] : 0;
        im[i] = 0;
      }
      fft(re, im);
      for (int k = 0; k < FFT / 2; k++) {
        double mag = Math.hypot(re[k], im[k]) * 2 / windowSum;
        out[f][k] = (float) Math.max(FLOOR_DB, 20 * Math.log10(mag + 1e-12));
      }
    }
    return out;
  }

  /** Writes the panels (one per signal, same height) into one PNG. */
  public static void writePng(Path png, float[]... signals) throws IOException {
    int bins = FFT / 2;
    int panelHeight = bins / 2;
    float[][][] specs = new float[signals.length][][];
    int frames = 1;
    for (int i = 0; i < signals.length; i++) {
      specs[i] = magnitudesDb(signals[i]);
      frames = Math.max(frames, specs[i].length);
    }
    int width = Math.min(frames, MAX_WIDTH);
    int gap = 4;
    BufferedImage img = new BufferedImage(width, signals.length * panelHeight + (signals.length - 1) * gap,
        BufferedImage.TYPE_INT_RGB);
    for (int p = 0; p < signals.length; p++) {
      float[][] spec = specs[p];
      int top = p * (panelHeight + gap);
      for (int x = 0; x < width; x++) {
        int f0 = (int) ((long) x * frames / width);
        int f1 = Math.max(f0 + 1, (int) ((long) (x + 1) * frames / width));
        for (int y = 0; y < panelHeight; y++) {
          int k = (panelHeight - 1 - y) * 2;
          double db = FLOOR_DB;
          for (int f = f0; f < f1 && f < spec.length; f++) {
            db = Math.max(db, Math.max(spec[f][k], spec[f][k + 1]));
          }
          img.setRGB(x, top + y, colour((db - FLOOR_DB) / -FLOOR_DB));
        }
      }
    }
    org.jrave.io.AtomicFiles.write(png, out -> {
      if (!javax.imageio.ImageIO.write(img, "png", out)) {
        throw new IOException("no PNG writer available");
      }
    });
  }

  /** Black - purple - orange - pale yellow, like common perceptual colour maps. */
  static int colour(double t) {
    t = Math.max(0, Math.min(1, t));
    double r = Math.min(1, 1.6 * t);
    double g = Math.max(0, Math.min(1, 1.6 * t - 0.6));
    double b = t < 0.4 ? t * 1.2 : Math.max(0, 0.48 - (t - 0.4)) + Math.max(0, (t - 0.85) * 3);
    return ((int) (r * 255) << 16) | ((int) (g * 255) << 8) | (int) (Math.min(1, b) * 255);
  }

  /** In-place iterative radix-2 FFT ({@code re.length} a power of two). */
  static void fft(double[] re, double[] im) {
    int n = re.length;
    for (int i = 1, j = 0; i < n; i++) {
      int bit = n >> 1;
      for (; (j & bit) != 0; bit >>= 1) {
        j ^= bit;
      }
      j ^= bit;
      if (i < j) {
        double t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    for (int len = 2; len <= n; len <<= 1) {
      double ang = -2 * Math.PI / len;
      double wr = Math.cos(ang);
      double wi = Math.sin(ang);
      for (int i = 0; i < n; i += len) {
        double cr = 1;
        double ci = 0;
        for (int k = 0; k < len / 2; k++) {
          int a = i + k;
          int b = a + len / 2;
          double xr = re[b] * cr - im[b] * ci;
          double xi = re[b] * ci + im[b] * cr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
          double nr = cr * wr - ci * wi;
          ci = cr * wi + ci * wr;
          cr = nr;
        }
      }
    }
  }
}
