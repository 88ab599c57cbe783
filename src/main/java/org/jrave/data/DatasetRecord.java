package org.jrave.data;

/** One value of a RAVE dataset database: audio samples, or a reference to a file (lazy mode). */
public sealed interface DatasetRecord permits WaveformRecord, LazyRecord {}
