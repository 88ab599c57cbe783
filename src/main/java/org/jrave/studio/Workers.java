package org.jrave.studio;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The threads heavy work runs on, one of each kind: decoding (FFmpeg) apart from the models, as the
 * training code keeps them apart, and one model job at a time, so requests queue instead of
 * fighting over two cores. Web request threads only wait for the result.
 */
final class Workers implements AutoCloseable {

  private final ExecutorService decoder = Executors.newSingleThreadExecutor(r -> daemon(r, "studio-decoder"));
  private final ExecutorService model = Executors.newSingleThreadExecutor(r -> daemon(r, "studio-model"));

  <T> T decode(Callable<T> job) throws Exception {
    return run(decoder, job);
  }

  <T> T model(Callable<T> job) throws Exception {
    return run(model, job);
  }

  private static <T> T run(ExecutorService executor, Callable<T> job) throws Exception {
    try {
      return executor.submit(job).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    decoder.shutdownNow();
    model.shutdownNow();
  }
}
