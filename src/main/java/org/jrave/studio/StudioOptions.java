package org.jrave.studio;

import java.nio.file.Path;
import java.util.List;

/**
 * What a studio serves and how.
 *
 * @param runs the folder whose run folders are shown (null: none)
 * @param models models offered for playing, besides the runs' own
 * @param host address to bind; anything but a loopback address makes every request need the token
 * @param port TCP port (0: any free one)
 * @param maxUploadBytes largest audio file accepted
 * @param liveBlock samples per block of the live stream (rounded up to a multiple of the model's ratio)
 */
public record StudioOptions(Path runs, List<Path> models, String host, int port, long maxUploadBytes, int liveBlock) {

  public static final long DEFAULT_MAX_UPLOAD = 64L << 20;

  public StudioOptions {
    models = List.copyOf(models);
  }

  public static StudioOptions local(Path runs, List<Path> models) {
    return new StudioOptions(runs, models, "127.0.0.1", 0, DEFAULT_MAX_UPLOAD, 2048);
  }

  public StudioOptions withHost(String h) {
    return new StudioOptions(runs, models, h, port, maxUploadBytes, liveBlock);
  }

  public StudioOptions withMaxUploadBytes(long bytes) {
    return new StudioOptions(runs, models, host, port, bytes, liveBlock);
  }
}
