package org.jrave.data;

/** A lazy record: an absolute file path, its duration in seconds and its channel count. */
public record LazyRecord(String path, double seconds, int channels) implements DatasetRecord {}
