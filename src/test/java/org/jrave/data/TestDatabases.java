package org.jrave.data;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jrave.audio.TestAudio;
import org.jrave.data.preprocess.PreprocessConfig;
import org.jrave.data.preprocess.Preprocessor;
import org.jrave.data.preprocess.ProgressListener;

/** Small training databases made from the test fixtures, for tests that train. */
public final class TestDatabases {
  private TestDatabases() {}

  /**
   * The 5 s tabla fixture as a database of {@code channels} channels (the mono file duplicated when
   * more) in examples of 8192 samples: 14 examples, 13 for training. Decoded on a thread of its own:
   * native decoders have been seen to leave the calling thread's floating-point state such that later
   * libtorch training on that thread produced NaNs.
   */
  public static Path tabla(Path db, int channels) throws Exception {
    AtomicReference<Exception> failure = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        new Preprocessor(PreprocessConfig.of(List.of(TestAudio.fixture("tabla_loop.flac")), db, 44100, channels)
            .withNumSignal(8192).withThreads(1)).run(ProgressListener.NONE);
      } catch (Exception e) {
        failure.set(e);
      }
    }, "test-preprocess");
    t.start();
    t.join();
    if (failure.get() != null) {
      throw failure.get();
    }
    return db;
  }
}
