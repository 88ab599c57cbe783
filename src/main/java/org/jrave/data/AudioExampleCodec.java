package org.jrave.data;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jrave.data.proto.AudioExampleProtos.AudioExample;
import org.jrave.data.proto.AudioExampleProtos.AudioExample.AudioBuffer;
import org.jrave.data.proto.AudioExampleProtos.AudioExample.Precision;

/** Encodes and decodes records in the reference's protobuf {@code AudioExample} layout (spec §6.2). */
public final class AudioExampleCodec {
  static final String WAVEFORM = "waveform";

  private AudioExampleCodec() {}

  public static byte[] encode(DatasetRecord record) {
    return switch (record) {
      case WaveformRecord w -> encodeWaveform(w);
      case LazyRecord l -> AudioExample.newBuilder()
          .putMetadata("path", l.path())
          .putMetadata("length", Double.toString(l.seconds()))
          .putMetadata("channels", Integer.toString(l.channels()))
          .build()
          .toByteArray();
    };
  }

  private static byte[] encodeWaveform(WaveformRecord w) {
    ByteBuffer bytes = ByteBuffer.allocate(w.samples().length * 2).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asShortBuffer().put(w.samples());
    // shape[1] counts bytes, not samples, exactly like the reference (pitfall 17).
    AudioBuffer buffer = AudioBuffer.newBuilder()
        .addShape(w.channels())
        .addShape(bytes.capacity() / w.channels())
        .setSamplingRate(w.sampleRate())
        .setData(ByteString.copyFrom(bytes.array()))
        .setPrecision(Precision.INT16)
        .build();
    return AudioExample.newBuilder().putBuffers(WAVEFORM, buffer).build().toByteArray();
  }

  /**
   * Decodes a value. {@code fallbackChannels} is used when a waveform carries no shape (the
   * reference's own readers ignore the shape and use the dataset's channel count).
   */
  public static DatasetRecord decode(byte[] value, int fallbackChannels) throws InvalidRecordException {
    AudioExample example;
    try {
      example = AudioExample.parseFrom(value);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidRecordException("not a protobuf AudioExample: " + e.getMessage(), e);
    }
    if (example.containsBuffers(WAVEFORM)) {
      return decodeWaveform(example.getBuffersOrThrow(WAVEFORM), fallbackChannels);
    }
    if (example.getMetadataMap().containsKey("path")) {
      return decodeLazy(example);
    }
    throw new InvalidRecordException(
        "AudioExample has neither a 'waveform' buffer nor a 'path' (buffers "
            + example.getBuffersMap().keySet() + ", metadata " + example.getMetadataMap().keySet() + ")");
  }

  private static WaveformRecord decodeWaveform(AudioBuffer buffer, int fallbackChannels)
      throws InvalidRecordException {
    if (buffer.getPrecision() != Precision.INT16) {
      throw new InvalidRecordException("waveform precision is " + buffer.getPrecision() + ", expected INT16");
    }
    ByteBuffer data = buffer.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    short[] samples = new short[data.remaining() / 2];
    data.asShortBuffer().get(samples);
    int channels = buffer.getShapeCount() > 0 ? buffer.getShape(0) : Math.max(1, fallbackChannels);
    if (channels < 1 || samples.length % channels != 0) {
      throw new InvalidRecordException(samples.length + " samples do not split into " + channels + " channels");
    }
    return new WaveformRecord(channels, buffer.getSamplingRate(), samples);
  }

  private static LazyRecord decodeLazy(AudioExample example) throws InvalidRecordException {
    var meta = example.getMetadataMap();
    try {
      return new LazyRecord(
          meta.get("path"),
          Double.parseDouble(meta.getOrDefault("length", "0")),
          Integer.parseInt(meta.getOrDefault("channels", "1")));
    } catch (NumberFormatException e) {
      throw new InvalidRecordException("lazy record with a malformed length or channel count: " + meta, e);
    }
  }
}
