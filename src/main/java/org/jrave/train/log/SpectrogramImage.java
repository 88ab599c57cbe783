package org.jrave.train.log;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;

/**
 * Spectrograms of several clips stacked vertically with a label each (e.g. input above
 * reconstruction), as a PNG: STFT magnitudes (1024-sample Hann, hop 256) in dB over an 80 dB range
 * shared by all panels, low frequencies at the bottom, a dark-to-bright colour map. With a sample
 * rate the axes are labelled: frequency in kHz beside every panel, time in seconds below the last.
 */
public final class SpectrogramImage {

  /** One panel: a label and mono samples. */
  public record Panel(String label, float[] samples) {}

  private static final int N_FFT = 1024;
  private static final int HOP = 256;
  private static final int BINS = 256;
  private static final int LABEL = 16;
  private static final double RANGE_DB = 80;
  private static final int MIN_WIDTH = 512;
  /** Room for the frequency ticks (left) and the time ticks (below), when the axes are drawn. */
  private static final int LEFT_AXIS = 46;
  private static final int BOTTOM_AXIS = 30;

  private final BufferedImage image;

  private SpectrogramImage(BufferedImage image) {
    this.image = image;
  }

  /** Panels without axes (the sample rate unknown). */
  public static SpectrogramImage of(List<Panel> panels) {
    return draw(panels, 0);
  }

  /** Panels with labelled axes: frequency in kHz, time in seconds, for audio at {@code sampleRate}. */
  public static SpectrogramImage of(List<Panel> panels, int sampleRate) {
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
    }
    return draw(panels, sampleRate);
  }

  private static SpectrogramImage draw(List<Panel> panels, int sampleRate) {
    float[][][] mags = new float[panels.size()][][];
    double max = 1e-12;
    for (int p = 0; p < panels.size(); p++) {
      mags[p] = magnitudes(panels.get(p).samples());
      for (float[] frame : mags[p]) {
        for (float v : frame) {
          max = Math.max(max, v);
        }
      }
    }
    int frames = 1;
    for (float[][] m : mags) {
      frames = Math.max(frames, m.length);
    }
    boolean axes = sampleRate > 0;
    int left = axes ? LEFT_AXIS : 0;
    // Short clips are stretched (each frame repeated) so the image stays readable.
    int stretch = Math.max(1, MIN_WIDTH / frames);
    int plotWidth = frames * stretch;
    int panelHeight = BINS + LABEL;
    int height = panelHeight * panels.size() + (axes ? BOTTOM_AXIS : 0);
    BufferedImage img = new BufferedImage(left + plotWidth, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    double top = 20 * Math.log10(max);
    for (int p = 0; p < panels.size(); p++) {
      int y0 = p * panelHeight;
      g.setColor(Color.BLACK);
      g.drawString(panels.get(p).label(), left + 4, y0 + LABEL - 3);
      for (int x = 0; x < mags[p].length * stretch; x++) {
        for (int k = 0; k < BINS; k++) {
          // Each row shows the strongest of the bins it covers (513 bins on 256 rows).
          int lo = k * (N_FFT / 2) / BINS;
          int hi = (k + 1) * (N_FFT / 2) / BINS;
          float v = 0;
          for (int b = lo; b <= hi; b++) {
            v = Math.max(v, mags[p][x / stretch][b]);
          }
          double db = 20 * Math.log10(v + 1e-12) - top;
          double t = Math.max(0, Math.min(1, 1 + db / RANGE_DB));
          img.setRGB(left + x, y0 + LABEL + (BINS - 1 - k), colour(t));
        }
      }
      if (axes) {
        frequencyAxis(g, y0 + LABEL, sampleRate);
      }
    }
    if (axes) {
      timeAxis(g, left, panelHeight * panels.size(), stretch, frames, sampleRate);
    }
    g.dispose();
    return new SpectrogramImage(img);
  }

  /** Ticks every 1, 2 or 5 kHz (whichever gives at most six) beside a panel whose rows start at {@code y0}. */
  private static void frequencyAxis(Graphics2D g, int y0, int sampleRate) {
    double nyquistKhz = sampleRate / 2000.0;
    int step = niceStep(nyquistKhz, 6);
    g.setColor(Color.BLACK);
    for (int khz = 0; khz <= nyquistKhz; khz += step) {
      int y = y0 + BINS - 1 - (int) Math.round(khz / nyquistKhz * (BINS - 1));
      g.drawLine(LEFT_AXIS - 5, y, LEFT_AXIS - 1, y);
      String text = Integer.toString(khz);
      g.drawString(text, LEFT_AXIS - 8 - g.getFontMetrics().stringWidth(text), y + 4);
    }
    g.drawString("kHz", 2, y0 + 10);
  }

  /** Ticks every 1, 2, 5, 10... seconds below the last panel (ending at {@code y0}). */
  private static void timeAxis(Graphics2D g, int left, int y0, int stretch, int frames, int sampleRate) {
    double pixelsPerSecond = (double) sampleRate / HOP * stretch;
    double seconds = (double) frames * HOP / sampleRate;
    g.setColor(Color.BLACK);
    double step = seconds >= 1 ? niceStep(seconds, 10) : 0.1 * niceStep(seconds * 10, 10);
    for (int i = 0; i * step <= seconds + 1e-9; i++) {
      double t = i * step;
      int x = left + (int) Math.round(t * pixelsPerSecond);
      g.drawLine(x, y0, x, y0 + 4);
      String text = step >= 1 ? Integer.toString((int) Math.round(t)) : String.format(java.util.Locale.ROOT, "%.1f", t);
      g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, y0 + 16);
    }
    g.drawString("time (s)", left + 4, y0 + 28);
  }

  /** The smallest of 1, 2, 5, 10, 20, 50... that cuts {@code range} into at most {@code ticks} steps. */
  static int niceStep(double range, int ticks) {
    for (int scale = 1; ; scale *= 10) {
      for (int m : new int[] {1, 2, 5}) {
        if (range / (m * scale) <= ticks) {
          return m * scale;
        }
      }
    }
  }

  private static float[][] magnitudes(float[] samples) {
    float[] padded = samples.length >= N_FFT ? samples : java.util.Arrays.copyOf(samples, N_FFT);
    try (TensorScope scope = new TensorScope(); NoGrad ignored = NoGrad.enter()) {
      Tensor x = Tensor.fromFloats(padded, 1, padded.length);
      Tensor mag = x.stft(N_FFT, HOP, Tensor.hannWindow(N_FFT), true, false).complexAbs().select(0, 0)
          .transpose(0, 1).contiguous();
      int frames = (int) mag.size(0);
      int bins = (int) mag.size(1);
      float[] flat = mag.toFloatArray();
      float[][] out = new float[frames][bins];
      for (int f = 0; f < frames; f++) {
        System.arraycopy(flat, f * bins, out[f], 0, bins);
      }
      return out;
    }
  }

  /** Black, purple, orange, pale yellow: a perceptually ordered ramp like magma/inferno. */
  private static int colour(double t) {
    double[][] stops = {{0, 0, 4}, {80, 18, 123}, {183, 55, 121}, {252, 137, 97}, {252, 253, 191}};
    double pos = t * (stops.length - 1);
    int i = Math.min(stops.length - 2, (int) pos);
    double f = pos - i;
    int r = (int) Math.round(stops[i][0] + f * (stops[i + 1][0] - stops[i][0]));
    int gr = (int) Math.round(stops[i][1] + f * (stops[i + 1][1] - stops[i][1]));
    int b = (int) Math.round(stops[i][2] + f * (stops[i + 1][2] - stops[i][2]));
    return (r << 16) | (gr << 8) | b;
  }

  public int width() {
    return image.getWidth();
  }

  public int height() {
    return image.getHeight();
  }

  public byte[] png() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Writes the PNG atomically (see {@link org.jrave.io.AtomicFiles}). */
  public void write(Path file) throws IOException {
    byte[] bytes = png();
    org.jrave.io.AtomicFiles.write(file, out -> out.write(bytes));
  }
}
