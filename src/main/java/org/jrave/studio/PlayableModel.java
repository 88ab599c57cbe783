package org.jrave.studio;

import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;
import org.jrave.inference.AudioCodec;
import org.jrave.inference.NativeCodec;
import org.jrave.model.RaveModel;

/**
 * A loaded model the studio plays. Renders and the set-up of live streams take turns on it (one
 * model's weights, one user at a time); a running live stream has its own packed copy of the weights.
 */
final class PlayableModel implements AutoCloseable {

  private final ModelCatalog.Entry entry;
  private final AudioCodec codec;
  private final ReentrantLock lock = new ReentrantLock();

  PlayableModel(ModelCatalog.Entry entry, AudioCodec codec) {
    this.entry = entry;
    this.codec = codec;
  }

  ModelCatalog.Entry entry() {
    return entry;
  }

  AudioCodec codec() {
    return codec;
  }

  /** The native model, or null for a TorchScript export (no latent sliders, no live engine edits). */
  RaveModel nativeModel() {
    return codec instanceof NativeCodec n ? n.model() : null;
  }

  /** Runs {@code job} while no other render or stream set-up uses this model. */
  <T> T locked(Callable<T> job) throws Exception {
    lock.lock();
    try {
      return job.call();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      codec.close();
    } finally {
      lock.unlock();
    }
  }
}
