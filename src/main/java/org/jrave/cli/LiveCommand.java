package org.jrave.cli;

import org.jrave.io.WriteFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jrave.audio.AudioClip;
import org.jrave.audio.AudioDecodeException;
import org.jrave.audio.AudioDecoder;
import org.jrave.audio.AudioTarget;
import org.jrave.audio.DecodedAudio;
import org.jrave.interop.TorchScriptModel;
import org.jrave.interop.TorchScriptProcessors;
import org.jrave.model.RaveModel;
import org.jrave.play.AudioInput;
import org.jrave.play.AudioOutput;
import org.jrave.play.LatentCommands;
import org.jrave.play.LatentShaper;
import org.jrave.play.LineInput;
import org.jrave.play.LineOutput;
import org.jrave.play.LiveEngine;
import org.jrave.play.LiveStats;
import org.jrave.play.LoopingFileInput;
import org.jrave.play.OscControl;
import org.jrave.play.SampleClock;
import org.jrave.play.SoundDevices;
import org.jrave.play.TerminalControl;
import org.jrave.play.VirtualOutput;
import org.jrave.streaming.BlockProcessor;
import org.jrave.streaming.RealtimeProcessor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jrave live}: real-time audio through a model, from an input device or file to an output device. */
@Command(name = "live", mixinStandardHelpOptions = true, resourceBundle = "org.jrave.cli.LiveCommand",
    description = {"Play a model live: audio from an input device (or a file, looped) through the model to an output device.",
      "Latent bias and scale per PCA dimension can be changed while it runs, from the terminal "
          + "(bias DIM VALUE, scale DIM VALUE, reset, stats, quit) or over OSC (/jrave/bias DIM VALUE, "
          + "/jrave/scale DIM VALUE, /jrave/bias/DIM VALUE, /jrave/reset)."})
public final class LiveCommand implements Callable<Integer> {
  static final String VIRTUAL = "virtual";

  @Mixin ModelOptions modelOptions;

  @Mixin PrecisionOption precision;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--list-devices", help = true, description = "list the sound devices and exit")
  boolean listDevices;

  @Option(names = {"-i", "--input"}, paramLabel = "DEVICE|FILE",
      description = "an audio file (played in a loop) or a capture device (part of its name); default: the default input device")
  String input;

  @Option(names = {"-o", "--output"}, paramLabel = "DEVICE|virtual",
      description = "a playback device (part of its name), or 'virtual' for a clocked virtual device (no sound hardware); "
          + "default: the default output device, or the virtual one when the machine has none")
  String output;

  @Option(names = "--record", paramLabel = "FILE.wav", description = "with the virtual output: save what it played")
  Path record;

  @Option(names = "--block", paramLabel = "N", defaultValue = "2048",
      description = "samples per block, a multiple of the model's ratio (default: ${DEFAULT-VALUE})")
  int block;

  @Option(names = "--buffer", paramLabel = "BLOCKS", defaultValue = "1",
      description = "blocks the model runs ahead of the output device: the time it has for a block, so more survives "
          + "its hiccups, at the cost of latency (default: ${DEFAULT-VALUE})")
  int buffer;

  @Option(names = "--seconds", paramLabel = "S", description = "stop by itself after S seconds")
  Double seconds;

  @Option(names = "--osc", paramLabel = "PORT", description = "listen for OSC latent control on this UDP port")
  Integer oscPort;

  @Option(names = "--osc-host", paramLabel = "HOST", defaultValue = "127.0.0.1",
      description = "address the OSC port binds to (default: ${DEFAULT-VALUE}; 0.0.0.0 for the whole network)")
  String oscHost;

  @Option(names = "--no-terminal", description = "do not read control commands from the standard input")
  boolean noTerminal;

  @Mixin LatentEditOptions edits;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (listDevices) {
      List<SoundDevices.Device> devices = SoundDevices.list();
      if (devices.isEmpty()) {
        out.println("no sound devices on this machine: use --input FILE and --output virtual");
      }
      devices.forEach(out::println);
      out.flush();
      return 0;
    }
    if (buffer < 1 || buffer > 16) {
      throw new UserError("--buffer " + buffer + ": give 1 to 16 blocks");
    }
    if (seconds != null && !(seconds > 0)) {
      throw new UserError("--seconds " + seconds + ": give a positive duration");
    }
    if (record != null && output != null && !output.equals(VIRTUAL)) {
      throw new UserError("--record works with the virtual output only (--output virtual)");
    }
    if (record != null) {
      checkRecordWritable();
    }
    precision.requireNative(modelOptions);
    if (modelOptions.isTorchScript()) {
      return liveTorchScript(err);
    }
    try (RaveModel model = modelOptions.load()) {
      int sr = model.config().sampleRate();
      if (block <= 0 || block % model.ratio() != 0) {
        throw new UserError("--block " + block + ": the block size must be a positive multiple of the model's ratio ("
            + model.ratio() + " samples)");
      }
      LatentShaper shaper = LatentShaper.identity(model);
      edits.applyTo(shaper.control());
      try (RealtimeProcessor processor = RealtimeProcessor.forward(model, block, precision.get())) {
        processor.setDeterministic(edits.deterministic);
        processor.setNoise(edits.deterministic ? org.jrave.model.noise.NoiseSource.SILENT : org.jrave.model.noise.NoiseSource.RANDOM);
        processor.setLatentEdit(shaper);
        run(processor, sr, new LatentCommands(shaper.control()), err);
      }
    }
    return 0;
  }

  /** An nn~ TorchScript model: its forward block by block; latent controls need a jrave model. */
  private int liveTorchScript(java.io.PrintWriter err) throws Exception {
    if (edits.given() || oscPort != null) {
      throw new UserError("--deterministic, --bias, --scale and --osc need a jrave model: a TorchScript model "
          + "samples and shapes its latent inside its compiled code");
    }
    try (TorchScriptModel model = modelOptions.loadTorchScript()) {
      BlockProcessor processor;
      try {
        processor = new TorchScriptProcessors(model).forward(block);
      } catch (IllegalArgumentException e) {
        throw new UserError("--block " + block + ": " + e.getMessage());
      }
      try (processor) {
        run(processor, model.sampleRate(), null, err);
      }
    }
    return 0;
  }

  /** The audio loop; {@code commands} (terminal and OSC latent control) may be null. */
  private void run(BlockProcessor processor, int sr, LatentCommands commands, java.io.PrintWriter err) throws Exception {
    int channels = processor.channels();
    SampleClock clock = new SampleClock(sr);
    try (AudioInput in = openInput(sr, channels, clock);
         AudioOutput sink = openOutput(sr, channels, clock, err)) {
      long maxBlocks = seconds == null ? Long.MAX_VALUE : (long) Math.ceil(seconds * sr / block);
      LiveEngine engine = new LiveEngine(processor, in, sink, maxBlocks, buffer);
      err.printf(Locale.ROOT, "input:  %s%noutput: %s%n", in.describe(), sink.describe());
      err.printf(Locale.ROOT, "end-to-end latency %.1f ms (%d samples: input block %d + inference ahead %d + model %d "
              + "+ output buffer %d) at %d Hz%n",
          engine.latencyMillis(), engine.latencySamples(), block, buffer * block, processor.latency(),
          sink.bufferedSamples(), sr);
      err.flush();
      try (OscControl osc = oscPort == null || commands == null ? null : openOsc(commands, err)) {
        engine.start();
        if (!noTerminal && commands != null) {
          new TerminalControl(new BufferedReader(new InputStreamReader(System.in)), commands,
              () -> engine.stats().toString(), line -> { err.println(line); err.flush(); }, () -> stopQuietly(engine)).start();
        }
        engine.await();
      }
      LiveStats stats = engine.stats();
      err.println(stats);
      err.flush();
      if (engine.failure() != null) {
        throw new UserError("the audio loop stopped: " + engine.failure());
      }
      if (record != null && sink instanceof VirtualOutput v) {
        saveRecording(v, sr);
      }
    }
  }

  private static void stopQuietly(LiveEngine engine) {
    try {
      engine.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private OscControl openOsc(LatentCommands commands, PrintWriter err) {
    try {
      OscControl osc = new OscControl(new InetSocketAddress(oscHost, oscPort), commands, line -> {
        err.println(line);
        err.flush();
      });
      err.println("OSC control on udp://" + oscHost + ":" + oscPort + " (/jrave/bias DIM VALUE, /jrave/scale DIM VALUE, /jrave/reset)");
      return osc;
    } catch (IOException | RuntimeException e) {
      throw new UserError("--osc " + oscPort + ": cannot listen on " + oscHost + ":" + oscPort + ": " + e.getMessage());
    }
  }

  private AudioInput openInput(int sr, int channels, SampleClock clock) {
    if (input != null && Files.exists(Path.of(input))) {
      Path file = Path.of(input);
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new UserError("--input " + input + " is not a readable file");
      }
      try {
        DecodedAudio audio = new AudioDecoder().decode(file, AudioTarget.of(sr, channels));
        if (audio.frames() == 0) {
          throw new UserError("--input " + input + " contains no audio");
        }
        return new LoopingFileInput(audio.samples(), clock, file.toString());
      } catch (AudioDecodeException e) {
        throw new UserError("--input " + input + ": " + e.reason());
      }
    }
    if (SoundDevices.list().stream().noneMatch(SoundDevices.Device::capture)) {
      throw new UserError(input == null
          ? "this machine has no input device: give an audio file with --input FILE (played in a loop)"
          : "--input " + input + " is neither an existing file nor a device (this machine has no input device)");
    }
    try {
      return new LineInput(SoundDevices.openCapture(input, sr, channels, 2 * block));
    } catch (SoundDevices.DeviceException e) {
      throw new UserError(e.getMessage());
    }
  }

  private AudioOutput openOutput(int sr, int channels, SampleClock clock, PrintWriter err) {
    boolean virtual = VIRTUAL.equals(output) || record != null;
    if (!virtual && SoundDevices.list().stream().noneMatch(SoundDevices.Device::playback)) {
      if (output != null) {
        throw new UserError("--output " + output + ": this machine has no output device (use --output virtual)");
      }
      err.println("no output device on this machine: playing into the virtual device");
      virtual = true;
    }
    if (virtual) {
      double keep = record == null ? 0 : seconds == null ? 600 : seconds + 1;
      return new VirtualOutput(clock, channels, block, 1, keep);
    }
    try {
      // Double buffering: one block playing while the next is written.
      return new LineOutput(SoundDevices.openPlayback(output, sr, channels, 2 * block), channels);
    } catch (SoundDevices.DeviceException e) {
      throw new UserError(e.getMessage());
    }
  }

  private void saveRecording(VirtualOutput v, int sampleRate) {
    try {
      org.jrave.play.AtomicWav.write(record, new AudioClip(sampleRate, v.played()));
    } catch (IOException e) {
      throw new UserError("--record: " + WriteFailure.of(record, e).getMessage());
    }
  }

  private void checkRecordWritable() {
    Path parent = record.toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new UserError("--record " + record + ": cannot create " + parent + ": " + e.getMessage());
    }
    if (!Files.isWritable(parent) || Files.isDirectory(record)) {
      throw new UserError("--record " + record + ": cannot write there");
    }
  }
}
