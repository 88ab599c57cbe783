package org.jrave.cli;

import org.jrave.inference.AudioCodec;
import org.jrave.inference.OfflineCodec;
import org.jrave.inference.StreamingCodec;
import picocli.CommandLine.Option;

/** {@code --stream BLOCK} and {@code --keep-latency}: run a command through the block engine. */
public final class StreamOptions {

  @Option(names = "--stream", paramLabel = "BLOCK",
      description = "process in blocks of BLOCK samples through the real-time engine (a multiple of the model's ratio)")
  Integer block;

  @Option(names = "--keep-latency",
      description = "with --stream: keep the stream's latency at the start of the output instead of removing it")
  boolean keepLatency;

  boolean streaming() {
    return block != null;
  }

  StreamingCodec codec(AudioCodec model) {
    requireBlockSize(block, Codecs.run(model::ratio));
    return new StreamingCodec(model.processors(), block, keepLatency);
  }

  /** {@code --stream BLOCK} must be a positive multiple of the model's ratio (also checked by generate). */
  static void requireBlockSize(int block, int ratio) {
    if (block <= 0 || block % ratio != 0) {
      throw new UserError("--stream " + block + ": the block size must be a positive multiple of the model's ratio ("
          + ratio + " samples), for example " + ratio * Math.max(1, 2048 / ratio));
    }
  }

  void requireStreamForKeepLatency() {
    if (keepLatency && block == null) {
      throw new UserError("--keep-latency only applies with --stream BLOCK");
    }
  }

  static OfflineCodec.Mode mode(boolean deterministic) {
    return deterministic ? OfflineCodec.Mode.DETERMINISTIC : OfflineCodec.Mode.RANDOM;
  }
}
