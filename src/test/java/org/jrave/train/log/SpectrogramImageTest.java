package org.jrave.train.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.jrave.audio.TestAudio;
import org.junit.jupiter.api.Test;

/**
 * The labelled axes sit where the spectrogram puts the frequencies and times they name: a 5 kHz
 * tone's brightest row is at the 5 kHz tick, and the 1 s tick is one second of frames from the left.
 */
class SpectrogramImageTest {
  private static final int SR = 44100;

  @Test
  void frequencyTicksMatchWhereATonesEnergyIs() throws Exception {
    float[] tone = TestAudio.sine(1, 2 * SR, SR, 5000, 0.5)[0];
    BufferedImage plain = render(tone, false);
    BufferedImage labelled = render(tone, true);
    int left = labelled.getWidth() - plain.getWidth();
    assertThat(left).as("room for the frequency axis").isPositive();
    assertThat(labelled.getHeight()).as("room for the time axis").isGreaterThan(plain.getHeight());

    // Brightest row of the plot in a column in the middle of the clip.
    int column = left + (labelled.getWidth() - left) / 2;
    int brightest = -1;
    int best = -1;
    for (int y = 16; y < 16 + 256; y++) {
      int rgb = labelled.getRGB(column, y);
      int level = ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
      if (level > best) {
        best = level;
        brightest = y;
      }
    }
    // The 5 kHz tick: 256 rows cover 0 to 22.05 kHz, low frequencies at the bottom.
    int tickRow = 16 + 255 - (int) Math.round(5.0 / 22.05 * 255);
    assertThat(brightest).as("row of the 5 kHz tone").isBetween(tickRow - 2, tickRow + 2);
    assertThat(isDark(labelled.getRGB(left - 3, tickRow))).as("tick mark at 5 kHz").isTrue();
  }

  @Test
  void timeTicksAreOneSecondApart() throws Exception {
    float[] tone = TestAudio.sine(1, 3 * SR, SR, 440, 0.5)[0];
    BufferedImage plain = render(tone, false);
    BufferedImage labelled = render(tone, true);
    int left = labelled.getWidth() - plain.getWidth();
    int plotBottom = plain.getHeight();
    double pixelsPerSecond = SR / 256.0; // hop 256, no stretch for a 3 s clip
    for (int second = 0; second <= 2; second++) {
      int x = left + (int) Math.round(second * pixelsPerSecond);
      assertThat(isDark(labelled.getRGB(x, plotBottom + 2))).as("tick at %d s", second).isTrue();
    }
    assertThat(isDark(labelled.getRGB(left + (int) Math.round(0.5 * pixelsPerSecond), plotBottom + 2)))
        .as("no tick at 0.5 s").isFalse();
  }

  @Test
  void tickStepsAreRound() {
    assertThat(SpectrogramImage.niceStep(22.05, 6)).isEqualTo(5);
    assertThat(SpectrogramImage.niceStep(5, 10)).isEqualTo(1);
    assertThat(SpectrogramImage.niceStep(30, 10)).isEqualTo(5);
    assertThat(SpectrogramImage.niceStep(300, 10)).isEqualTo(50);
  }

  /** One panel of {@code samples}, with labelled axes or without, as the PNG decodes. */
  private static BufferedImage render(float[] samples, boolean axes) throws Exception {
    List<SpectrogramImage.Panel> panels = List.of(new SpectrogramImage.Panel("clip", samples));
    SpectrogramImage image = axes ? SpectrogramImage.of(panels, SR) : SpectrogramImage.of(panels);
    return ImageIO.read(new ByteArrayInputStream(image.png()));
  }

  private static boolean isDark(int rgb) {
    return ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff) < 200;
  }
}
