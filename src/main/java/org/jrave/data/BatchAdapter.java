package org.jrave.data;

/**
 * The seam between the data pipeline and the engine: turns a batch into what the model consumes
 * (e.g. a libtorch tensor on the chosen device). The loader stays free of engine dependencies.
 */
@FunctionalInterface
public interface BatchAdapter<T> {
  T adapt(AudioBatch batch);
}
