package org.jrave.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AudioExampleCodecTest {
  // Appendix B of the spec.
  static final String GOLDEN_WAVEFORM = "0a200a0877617665666f726d12140801080810c4d8021a0800000100ffffff7f2003";
  static final String GOLDEN_LAZY = "120d0a066c656e6774681203312e35120e0a047061746812062f612e776176120d0a086368616e6e656c73120132";

  @Test
  void waveformEncodingIsTheGoldenBytes() {
    WaveformRecord r = new WaveformRecord(1, 44100, new short[] {0, 1, -1, 32767});
    assertThat(HexFormat.of().formatHex(AudioExampleCodec.encode(r))).isEqualTo(GOLDEN_WAVEFORM);
  }

  @Test
  void goldenWaveformDecodes() throws Exception {
    WaveformRecord r = (WaveformRecord) AudioExampleCodec.decode(SpecWireReader.hex(GOLDEN_WAVEFORM), 1);
    assertThat(r.channels()).isEqualTo(1);
    assertThat(r.sampleRate()).isEqualTo(44100);
    assertThat(r.samples()).containsExactly(0, 1, -1, 32767);
  }

  @Test
  void lazyEncodingHasTheGoldenEntriesInAnyOrder() throws Exception {
    byte[] ours = AudioExampleCodec.encode(new LazyRecord("/a.wav", 1.5, 2));
    assertThat(ours).hasSameSizeAs(SpecWireReader.hex(GOLDEN_LAZY));
    assertThat(SpecWireReader.parse(ours).metadata())
        .containsExactlyInAnyOrderEntriesOf(SpecWireReader.parse(SpecWireReader.hex(GOLDEN_LAZY)).metadata())
        .containsEntry("length", "1.5").containsEntry("path", "/a.wav").containsEntry("channels", "2");
    LazyRecord golden = (LazyRecord) AudioExampleCodec.decode(SpecWireReader.hex(GOLDEN_LAZY), 1);
    assertThat(golden).isEqualTo(new LazyRecord("/a.wav", 1.5, 2));
  }

  @Test
  void packedShapeIsAcceptedToo() throws Exception {
    // same record with shape written packed: field 1 wire type 2, length 2, values 1 and 8
    String packed = GOLDEN_WAVEFORM.replace("12140801080810c4d802", "12140a02010810c4d802");
    WaveformRecord r = (WaveformRecord) AudioExampleCodec.decode(SpecWireReader.hex(packed), 1);
    assertThat(r.samples()).containsExactly(0, 1, -1, 32767);
  }

  @Test
  void rejectsOtherPrecisionsAndForeignValues() {
    String float32 = GOLDEN_WAVEFORM.substring(0, GOLDEN_WAVEFORM.length() - 2) + "01";
    assertThatThrownBy(() -> AudioExampleCodec.decode(SpecWireReader.hex(float32), 1))
        .isInstanceOf(InvalidRecordException.class).hasMessageContaining("INT16");
    assertThatThrownBy(() -> AudioExampleCodec.decode("hello world, not protobuf".getBytes(), 1))
        .isInstanceOf(InvalidRecordException.class);
    assertThatThrownBy(() -> AudioExampleCodec.decode(new byte[0], 1))
        .isInstanceOf(InvalidRecordException.class).hasMessageContaining("neither");
  }

  @Test
  void stereoShapeCountsBytesLikeTheReference() {
    byte[] v = AudioExampleCodec.encode(new WaveformRecord(2, 48000, new short[] {1, 2, 3, 4, 5, 6}));
    SpecWireReader.Buffer b = SpecWireReader.parse(v).buffers().get("waveform");
    assertThat(b.shape()).containsExactly(2, 6);
    assertThat(b.samplingRate()).isEqualTo(48000);
    assertThat(b.precision()).isEqualTo(3);
    assertThat(b.data()).hasSize(12);
  }
}
