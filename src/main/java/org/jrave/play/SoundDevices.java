package org.jrave.play;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;

/** The machine's sound devices through {@code javax.sound.sampled}: listing and opening lines. */
public final class SoundDevices {

  /** A device and which directions it supports. */
  public record Device(String name, String description, boolean capture, boolean playback) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%-40s %-9s %s", name, (capture ? "in" : "") + (capture && playback ? "/" : "")
          + (playback ? "out" : ""), description);
    }
  }

  /** Thrown when a device does not exist or cannot open in the requested format. */
  public static final class DeviceException extends Exception {
    public DeviceException(String message) {
      super(message);
    }
  }

  private SoundDevices() {}

  public static List<Device> list() {
    List<Device> out = new ArrayList<>();
    for (Mixer.Info info : AudioSystem.getMixerInfo()) {
      Mixer m = AudioSystem.getMixer(info);
      boolean in = m.isLineSupported(new DataLine.Info(TargetDataLine.class, null));
      boolean play = m.isLineSupported(new DataLine.Info(SourceDataLine.class, null));
      if (in || play) {
        out.add(new Device(info.getName(), info.getDescription(), in, play));
      }
    }
    return out;
  }

  /** 16-bit signed little-endian PCM, the format every sound card opens. */
  static AudioFormat format(int sampleRate, int channels) {
    return new AudioFormat(sampleRate, 16, channels, true, false);
  }

  /**
   * Opens a capture line on the named device (a case-insensitive part of its name), or the default
   * device when {@code name} is null.
   */
  public static TargetDataLine openCapture(String name, int sampleRate, int channels, int bufferFrames)
      throws DeviceException {
    AudioFormat f = format(sampleRate, channels);
    DataLine.Info info = new DataLine.Info(TargetDataLine.class, f);
    try {
      TargetDataLine line = (TargetDataLine) (name == null ? AudioSystem.getLine(info) : mixer(name, info).getLine(info));
      line.open(f, bufferFrames * f.getFrameSize());
      return line;
    } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
      throw new DeviceException("cannot open " + (name == null ? "the default input device" : "input device '" + name + "'")
          + " for " + describe(f) + ": " + e.getMessage());
    }
  }

  public static SourceDataLine openPlayback(String name, int sampleRate, int channels, int bufferFrames)
      throws DeviceException {
    AudioFormat f = format(sampleRate, channels);
    DataLine.Info info = new DataLine.Info(SourceDataLine.class, f);
    try {
      SourceDataLine line = (SourceDataLine) (name == null ? AudioSystem.getLine(info) : mixer(name, info).getLine(info));
      line.open(f, bufferFrames * f.getFrameSize());
      return line;
    } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
      throw new DeviceException("cannot open " + (name == null ? "the default output device" : "output device '" + name + "'")
          + " for " + describe(f) + ": " + e.getMessage());
    }
  }

  private static Mixer mixer(String name, DataLine.Info info) throws DeviceException {
    String wanted = name.toLowerCase(Locale.ROOT);
    for (Mixer.Info mi : AudioSystem.getMixerInfo()) {
      Mixer m = AudioSystem.getMixer(mi);
      if (mi.getName().toLowerCase(Locale.ROOT).contains(wanted) && m.isLineSupported(info)) {
        return m;
      }
    }
    throw new DeviceException("no device named like '" + name + "' supports " + describe(info.getFormats()[0])
        + " (see --list-devices)");
  }

  private static String describe(AudioFormat f) {
    return String.format(Locale.ROOT, "%d Hz, %d channel(s), 16-bit", (int) f.getSampleRate(), f.getChannels());
  }
}
