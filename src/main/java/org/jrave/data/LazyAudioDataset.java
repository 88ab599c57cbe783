package org.jrave.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jrave.audio.AudioDecodeException;
import org.jrave.audio.AudioDecoder;
import org.jrave.audio.AudioTarget;
import org.jrave.audio.ChannelMode;
import org.jrave.audio.DecodedAudio;

/**
 * A lazy database (file references, spec §6.3): file {@code f} gives {@code floor(frames / n)}
 * windows of {@code 2n} frames with hop {@code n} (zero-padded past the end), decoded at read time
 * and scaled like the reference (int16 / 32768). Unlike the reference, a file shorter than one hop
 * still gives one (padded) window instead of none.
 */
public final class LazyAudioDataset implements AudioDataset {
  private final DatasetReader reader;
  private final AudioDecoder decoder = new AudioDecoder();
  private final List<LazyRecord> files;
  private final long[] firstWindow;
  private final int channels;
  private final int sampleRate;
  private final int nSignal;

  LazyAudioDataset(DatasetReader reader, int channels, int sampleRate, int nSignal) throws IOException {
    this.reader = reader;
    this.channels = channels;
    this.sampleRate = sampleRate;
    this.nSignal = nSignal;
    this.files = new ArrayList<>();
    this.firstWindow = new long[reader.size() + 1];
    for (int i = 0; i < reader.size(); i++) {
      try {
        if (!(reader.record(i) instanceof LazyRecord l)) {
          throw new IOException(reader.path() + " record " + i + " holds audio, not a file reference");
        }
        files.add(l);
        long frames = (long) Math.floor(l.seconds() * sampleRate);
        firstWindow[i + 1] = firstWindow[i] + Math.max(1, frames / nSignal);
      } catch (InvalidRecordException e) {
        throw new IOException(reader.path() + " record " + i + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public int size() {
    return (int) firstWindow[files.size()];
  }

  @Override
  public int channels() {
    return channels;
  }

  @Override
  public int sampleRate() {
    return sampleRate;
  }

  @Override
  public float[][] item(int index) throws IOException {
    int pos = Arrays.binarySearch(firstWindow, index);
    int file = pos >= 0 ? pos : -pos - 2;
    while (firstWindow[file + 1] == firstWindow[file]) {
      file++;
    }
    long chunk = index - firstWindow[file];
    LazyRecord record = files.get(file);
    try {
      DecodedAudio audio = decoder.decodeRange(Path.of(record.path()),
          new AudioTarget(sampleRate, channels, ChannelMode.SELECT), chunk * nSignal, 2 * nSignal);
      float[][] x = audio.samples();
      for (float[] ch : x) {
        for (int i = 0; i < ch.length; i++) {
          // quantised like the reference's s16le pipe, then scaled by 1/32768
          double v = Math.rint(ch[i] * 32768.0);
          ch[i] = (float) (Math.max(-32768, Math.min(32767, v)) / 32768.0);
        }
      }
      return x;
    } catch (AudioDecodeException e) {
      throw new IOException("lazy dataset " + reader.path() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    reader.close();
  }
}
