package org.jrave.audio;

import java.nio.file.Path;

/**
 * What a file's header says about its audio stream. {@code seconds} is {@code NaN} when unknown;
 * {@code exactDuration} is false when FFmpeg estimated it from the bit rate (VBR mp3 without a
 * header), in which case only a full decode tells the truth.
 */
public record AudioInfo(
    Path path, String codec, int sampleRate, int channels, double seconds, boolean exactDuration) {}
