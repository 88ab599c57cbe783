package org.jrave.train.log;

import com.google.protobuf.ByteString;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jrave.train.log.proto.EventProtos.DataType;
import org.jrave.train.log.proto.EventProtos.Event;
import org.jrave.train.log.proto.EventProtos.Summary;
import org.jrave.train.log.proto.EventProtos.SummaryMetadata;
import org.jrave.train.log.proto.EventProtos.TensorProto;
import org.jrave.train.log.proto.EventProtos.TensorShapeProto;

/**
 * Writes a TensorBoard event file ({@code events.out.tfevents.TIME.HOST}) in a log folder: scalars,
 * audio (WAV), images (PNG) and text. Each call writes one event and flushes, so TensorBoard sees
 * progress live and an interrupted run keeps everything logged so far.
 */
public final class EventWriter implements AutoCloseable {

  private final Path file;
  private final OutputStream out;

  public EventWriter(Path folder) throws IOException {
    Files.createDirectories(folder);
    long now = System.currentTimeMillis();
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "localhost";
    }
    this.file = folder.resolve("events.out.tfevents." + now / 1000 + "." + host);
    this.out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
    write(Event.newBuilder().setWallTime(now / 1000.0).setFileVersion("brain.Event:2").build());
  }

  public Path file() {
    return file;
  }

  public void scalar(String tag, long step, double value) throws IOException {
    summary(step, Summary.Value.newBuilder().setTag(tag).setSimpleValue((float) value));
  }

  /** A mono or interleaved multichannel clip, stored as a 16-bit WAV. */
  public void audio(String tag, long step, float[] interleaved, int channels, int sampleRate) throws IOException {
    byte[] wav = Wav16.encode(interleaved, channels, sampleRate);
    summary(step, Summary.Value.newBuilder().setTag(tag).setAudio(Summary.Audio.newBuilder()
        .setSampleRate(sampleRate).setNumChannels(channels).setLengthFrames(interleaved.length / channels)
        .setEncodedAudioString(ByteString.copyFrom(wav)).setContentType("audio/wav")));
  }

  public void image(String tag, long step, byte[] png, int width, int height) throws IOException {
    summary(step, Summary.Value.newBuilder().setTag(tag).setImage(Summary.Image.newBuilder()
        .setWidth(width).setHeight(height).setColorspace(3).setEncodedImageString(ByteString.copyFrom(png))));
  }

  /** Markdown text, shown by TensorBoard's text plugin. */
  public void text(String tag, long step, String markdown) throws IOException {
    TensorProto tensor = TensorProto.newBuilder().setDtype(DataType.DT_STRING)
        .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(1)))
        .addStringVal(ByteString.copyFrom(markdown, StandardCharsets.UTF_8)).build();
    SummaryMetadata meta = SummaryMetadata.newBuilder()
        .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName("text")).build();
    summary(step, Summary.Value.newBuilder().setTag(tag).setMetadata(meta).setTensor(tensor));
  }

  private void summary(long step, Summary.Value.Builder value) throws IOException {
    write(Event.newBuilder().setWallTime(System.currentTimeMillis() / 1000.0).setStep(step)
        .setSummary(Summary.newBuilder().addValue(value)).build());
  }

  private synchronized void write(Event event) throws IOException {
    RecordWriter.write(out, event.toByteArray());
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
