package org.jrave.train.log;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;

/**
 * Spectrograms of several clips stacked vertically with a label each (e.g. input above
 * reconstruction), as a PNG: STFT magnitudes (1024-sample Hann, hop 256) in dB over an 80 dB range
 * shared by all panels, low frequencies at the bottom, a dark-to-bright colour map.
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

  private final BufferedImage image;

  private SpectrogramImage(BufferedImage image) {
    this.image = image;
  }

  public static SpectrogramImage of(List<Panel> panels) {
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
    // Short clips are stretched (each frame repeated) so the image stays readable.
    int stretch = Math.max(1, MIN_WIDTH / frames);
    int width = frames * stretch;
    int panelHeight = BINS + LABEL;
    BufferedImage img = new BufferedImage(width, panelHeight * panels.size(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    double top = 20 * Math.log10(max);
    for (int p = 0; p < panels.size(); p++) {
      int y0 = p * panelHeight;
      g.setColor(Color.WHITE);
      g.fillRect(0, y0, width, LABEL);
      g.setColor(Color.BLACK);
      g.drawString(panels.get(p).label(), 4, y0 + LABEL - 3);
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
          img.setRGB(x, y0 + LABEL + (BINS - 1 - k), colour(t));
        }
      }
    }
    g.dispose();
    return new SpectrogramImage(img);
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

  public void write(Path file) throws IOException {
    Files.write(file, png());
  }
}
