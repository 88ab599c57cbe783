package org.jrave.train.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.jrave.audio.TestAudio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * jrave's event files checked against TensorFlow's own schema (its generated protobuf classes) and
 * against the TFRecord framing with an independent CRC-32C, and their payloads with the JDK's own
 * WAV and PNG decoders: what TensorBoard reads, not what jrave's writer thinks it wrote.
 */
class TensorBoardFormatTest {

  @TempDir Path dir;

  @Test
  void everyRecordParsesWithTensorFlowsEventClass() throws Exception {
    float[] sine = TestAudio.sine(1, 4410, 44100, 440, 0.5)[0];
    float[] stereo = {0.25f, -0.25f, 0.5f, -0.5f, 1f, -1f};
    SpectrogramImage image = SpectrogramImage.of(List.of(new SpectrogramImage.Panel("sine", sine)));
    Path file;
    try (EventWriter w = new EventWriter(dir)) {
      w.text("config", 0, "```\n{\"capacity\": 4}\n```");
      w.scalar("validation", 3, 0.75);
      w.scalar("beta_factor", 10, 1e-6);
      w.scalar("validation", 6, 0.5);
      w.audio("audio_val", 6, sine, 1, 44100);
      w.audio("stereo", 6, stereo, 2, 48000);
      w.image("spectrogram_val", 6, image.png(), image.width(), image.height());
      file = w.file();
    }
    List<Event> events = TfEventFile.read(file);
    assertThat(events).hasSize(8);

    Event first = events.get(0);
    assertThat(first.getWhatCase()).isEqualTo(Event.WhatCase.FILE_VERSION);
    assertThat(first.getFileVersion()).isEqualTo("brain.Event:2");
    assertThat(first.getWallTime()).isPositive();
    for (Event e : events.subList(1, events.size())) {
      assertThat(e.getWhatCase()).isEqualTo(Event.WhatCase.SUMMARY);
      assertThat(e.getSummary().getValueCount()).isEqualTo(1);
      assertThat(e.getWallTime()).isGreaterThanOrEqualTo(first.getWallTime());
    }

    // Scalars by tag, in step order.
    List<Event> validation = withTag(events, "validation");
    assertThat(validation).extracting(Event::getStep).containsExactly(3L, 6L);
    assertThat(validation).extracting(e -> e.getSummary().getValue(0).getSimpleValue()).containsExactly(0.75f, 0.5f);
    Summary.Value beta = withTag(events, "beta_factor").get(0).getSummary().getValue(0);
    assertThat(beta.getValueCase()).isEqualTo(Summary.Value.ValueCase.SIMPLE_VALUE);
    assertThat(beta.getSimpleValue()).isEqualTo(1e-6f);

    // Text: a string tensor tagged for the text plugin.
    Summary.Value config = withTag(events, "config").get(0).getSummary().getValue(0);
    assertThat(config.getMetadata().getPluginData().getPluginName()).isEqualTo("text");
    assertThat(config.getTensor().getDtype()).isEqualTo(DataType.DT_STRING);
    assertThat(config.getTensor().getTensorShape().getDimList()).extracting(d -> d.getSize()).containsExactly(1L);
    assertThat(config.getTensor().getStringVal(0).toStringUtf8()).isEqualTo("```\n{\"capacity\": 4}\n```");

    // Audio: the summary's fields agree with the WAV the JDK decodes, samples intact.
    Summary.Audio mono = withTag(events, "audio_val").get(0).getSummary().getValue(0).getAudio();
    assertThat(mono.getSampleRate()).isEqualTo(44100f);
    assertThat(mono.getNumChannels()).isEqualTo(1);
    assertThat(mono.getLengthFrames()).isEqualTo(4410);
    assertThat(mono.getContentType()).isEqualTo("audio/wav");
    short[] pcm = decodeWav(mono.getEncodedAudioString().toByteArray(), 44100, 1);
    assertThat(pcm).hasSize(4410);
    for (int i = 0; i < pcm.length; i++) {
      assertThat(pcm[i] / 32767.0).isCloseTo(sine[i], org.assertj.core.api.Assertions.within(1.0 / 32767));
    }
    Summary.Audio two = withTag(events, "stereo").get(0).getSummary().getValue(0).getAudio();
    assertThat(two.getNumChannels()).isEqualTo(2);
    assertThat(two.getLengthFrames()).isEqualTo(3);
    // Interleaved L R frames, scaled by 32767 and rounded half up (-16383.5 -> -16383).
    assertThat(decodeWav(two.getEncodedAudioString().toByteArray(), 48000, 2))
        .containsExactly((short) 8192, (short) -8192, (short) 16384, (short) -16383, (short) 32767, (short) -32767);

    // Image: a PNG of the declared size.
    Summary.Image png = withTag(events, "spectrogram_val").get(0).getSummary().getValue(0).getImage();
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png.getEncodedImageString().toByteArray()));
    assertThat(decoded.getWidth()).isEqualTo(png.getWidth()).isEqualTo(image.width());
    assertThat(decoded.getHeight()).isEqualTo(png.getHeight()).isEqualTo(image.height());
    assertThat(png.getColorspace()).isEqualTo(3);
  }

  @Test
  void theIndependentReaderRejectsACorruptRecord() throws Exception {
    Path file;
    try (EventWriter w = new EventWriter(dir)) {
      w.scalar("loss", 1, 2.0);
      file = w.file();
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 6] ^= 1; // a bit of the last record's data
    Files.write(file, bytes);
    assertThatThrownBy(() -> TfEventFile.read(file)).isInstanceOf(IOException.class).hasMessageContaining("bad data checksum");
  }

  @Test
  void maskedCrcOfTheCheckString() {
    // CRC-32C("123456789") = 0xE3069283 (RFC 3720 check value); masked as TFRecord defines it.
    assertThat(TfEventFile.masked("123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
        .isEqualTo((int) ((((0xE3069283L >>> 15) | (0xE3069283L << 17)) + 0xa282ead8L) & 0xFFFFFFFFL));
  }

  static List<Event> withTag(List<Event> events, String tag) {
    return events.stream().filter(Event::hasSummary)
        .filter(e -> e.getSummary().getValueList().stream().anyMatch(v -> v.getTag().equals(tag))).toList();
  }

  /** Decodes with javax.sound and checks the format; returns the interleaved 16-bit samples. */
  private static short[] decodeWav(byte[] wav, int sampleRate, int channels) throws Exception {
    try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
      AudioFormat f = in.getFormat();
      assertThat(f.getEncoding()).isEqualTo(AudioFormat.Encoding.PCM_SIGNED);
      assertThat(f.getSampleRate()).isEqualTo((float) sampleRate);
      assertThat(f.getChannels()).isEqualTo(channels);
      assertThat(f.getSampleSizeInBits()).isEqualTo(16);
      assertThat(f.isBigEndian()).isFalse();
      byte[] data = in.readAllBytes();
      short[] out = new short[data.length / 2];
      ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(out);
      return out;
    }
  }
}
