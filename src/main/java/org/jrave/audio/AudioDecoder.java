package org.jrave.audio;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_seek_file;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Decodes any audio file FFmpeg can read (wav, aiff, flac, ogg, opus, mp3, m4a, ... at any rate,
 * channel count and sample format) in-process, resamples it with libswresample and maps its
 * channels. Strict on purpose: a file with undecodable data or shorter than its header declares
 * is rejected with a reason rather than half-used, so a dataset never silently contains garbage.
 * Stateless and thread-safe: every call opens and frees its own native contexts.
 */
public final class AudioDecoder {

  /** Tolerated shortfall of decoded audio against the declared duration (codec delay, padding). */
  private static final double TRUNCATION_TOLERANCE_SECONDS = 0.1;

  public AudioDecoder() {
    Ffmpeg.init();
  }

  /** Header information only: fast, nothing decoded. */
  public AudioInfo probe(Path path) throws AudioDecodeException {
    try (MediaInput in = MediaInput.open(path)) {
      return in.info();
    }
  }

  /** Decodes the whole file into memory. */
  public DecodedAudio decode(Path path, AudioTarget target) throws AudioDecodeException {
    Collector collector = new Collector();
    DecodeResult result = stream(path, target, collector);
    return new DecodedAudio(result.sampleRate(), collector.toArrays(result.channels()));
  }

  /** Decodes the whole file block by block into {@code sink}. */
  public DecodeResult stream(Path path, AudioTarget target, SampleSink sink) throws AudioDecodeException {
    try (MediaInput in = MediaInput.open(path)) {
      Session session = new Session(in, target, sink, 0, Long.MAX_VALUE);
      session.run();
      checkComplete(in, session);
      return session.result();
    }
  }

  /**
   * Decodes {@code frames} frames starting at frame {@code start} of the target rate, zero-padded
   * when the file ends first. Seeks, so the position is exact to the decoder's timestamps (exact
   * for PCM and FLAC, within a codec frame for lossy formats).
   */
  public DecodedAudio decodeRange(Path path, AudioTarget target, long start, int frames)
      throws AudioDecodeException {
    try (MediaInput in = MediaInput.open(path)) {
      int outRate = target.sampleRate() == 0 ? in.codec.sample_rate() : target.sampleRate();
      Collector collector = new Collector();
      Session session = new Session(in, target, collector, start, frames);
      if (start > 0) {
        long ts = Math.max(0, (long) ((double) start / outRate * AV_TIME_BASE) - AV_TIME_BASE / 10);
        if (avformat_seek_file(in.format, -1, Long.MIN_VALUE, ts, ts, 0) >= 0) {
          avcodec_flush_buffers(in.codec);
          session.afterSeek();
        }
      }
      session.run();
      int channels = target.channels() == 0 ? in.codec.ch_layout().nb_channels() : target.channels();
      float[][] out = collector.toArrays(channels);
      for (int c = 0; c < channels; c++) {
        out[c] = Arrays.copyOf(out[c], frames);
      }
      return new DecodedAudio(outRate, out);
    }
  }

  private static void checkComplete(MediaInput in, Session session) throws AudioDecodeException {
    AudioInfo info = in.info();
    double decoded = (double) session.sourceFrames / Math.max(1, session.sourceRate);
    if (session.sourceFrames == 0) {
      throw new AudioDecodeException(in.path, "contains no decodable audio");
    }
    var missing = PcmTruncation.missingBytes(in.path);
    if (missing.isPresent()) {
      throw new AudioDecodeException(in.path, String.format(
          "truncated: the header declares %d more bytes of audio than the file holds (%.2f s could be decoded)",
          missing.getAsLong(), decoded));
    }
    if (info.exactDuration()
        && !Double.isNaN(info.seconds())
        && decoded < info.seconds() - Math.max(TRUNCATION_TOLERANCE_SECONDS, 0.02 * info.seconds())) {
      throw new AudioDecodeException(
          in.path,
          String.format(
              "truncated: the header declares %.2f s but only %.2f s could be decoded", info.seconds(), decoded));
    }
  }

  /** One pass of the packet → frame → resampler → channel mapper → sink pipeline. */
  private static final class Session implements Resampler.Block {
    private final MediaInput in;
    private final AudioTarget target;
    private final SampleSink sink;
    private final long start;
    private final long limit;
    private long position; // next output frame index, in target-rate frames
    private boolean positionKnown = true;
    private long delivered;
    long sourceFrames;
    int sourceRate;
    private int outRate;
    private int outChannels;
    private ChannelMapper mapper;
    private float[][] mapped = new float[0][];

    Session(MediaInput in, AudioTarget target, SampleSink sink, long start, long limit) {
      this.in = in;
      this.target = target;
      this.sink = sink;
      this.start = start;
      this.limit = limit;
    }

    void afterSeek() {
      positionKnown = false;
    }

    void run() throws AudioDecodeException {
      AVPacket packet = av_packet_alloc();
      AVFrame frame = av_frame_alloc();
      try (Resampler resampler = new Resampler(target.sampleRate())) {
        while (delivered < limit) {
          int err = av_read_frame(in.format, packet);
          if (err == AVERROR_EOF) {
            break;
          }
          if (err < 0) {
            throw corrupt("read error", err);
          }
          try {
            if (packet.stream_index() == in.streamIndex) {
              err = avcodec_send_packet(in.codec, packet);
              if (err < 0 && err != AVERROR_EAGAIN()) {
                throw corrupt("corrupt data", err);
              }
              drain(frame, resampler);
            }
          } finally {
            av_packet_unref(packet);
          }
        }
        if (delivered < limit) {
          avcodec_send_packet(in.codec, null);
          drain(frame, resampler);
          resampler.flush(this);
        }
      } finally {
        av_packet_free(packet);
        av_frame_free(frame);
      }
    }

    private void drain(AVFrame frame, Resampler resampler) throws AudioDecodeException {
      while (true) {
        int err = avcodec_receive_frame(in.codec, frame);
        if (err == AVERROR_EAGAIN() || err == AVERROR_EOF) {
          return;
        }
        if (err < 0) {
          throw corrupt("corrupt data", err);
        }
        try {
          sourceRate = frame.sample_rate();
          if (!positionKnown) {
            locate(frame);
          }
          sourceFrames += frame.nb_samples();
          resampler.convert(frame, this);
        } finally {
          av_frame_unref(frame);
        }
      }
    }

    /** After a seek: the output position of the first decoded frame, from its timestamp. */
    private void locate(AVFrame frame) {
      long pts = frame.best_effort_timestamp();
      double seconds =
          pts == AV_NOPTS_VALUE ? 0 : pts * (double) in.stream.time_base().num() / in.stream.time_base().den();
      int rate = target.sampleRate() == 0 ? frame.sample_rate() : target.sampleRate();
      position = Math.round(seconds * rate);
      positionKnown = true;
    }

    @Override
    public void accept(float[][] planar, int frames, int channels) {
      if (mapper == null || mapper.inputs() != channels) {
        outChannels = target.channels() == 0 ? channels : target.channels();
        mapper = new ChannelMapper(target.channelMode(), channels, outChannels);
      }
      outRate = target.sampleRate() == 0 ? sourceRate : target.sampleRate();
      if (mapped.length != outChannels || mapped[0].length < frames) {
        mapped = new float[outChannels][Math.max(frames, 4096)];
      }
      mapper.map(planar, frames, mapped);
      // Keep only [start, start + limit): skip frames before the start, stop after the limit.
      int skip = (int) Math.min(frames, Math.max(0, start - position));
      position += frames;
      int take = (int) Math.min(frames - skip, limit - delivered);
      if (take <= 0) {
        return;
      }
      if (skip > 0) {
        for (int c = 0; c < outChannels; c++) {
          System.arraycopy(mapped[c], skip, mapped[c], 0, take);
        }
      }
      sink.accept(mapped, take);
      delivered += take;
    }

    private AudioDecodeException corrupt(String what, int err) {
      double at = (double) sourceFrames / Math.max(1, sourceRate);
      return new AudioDecodeException(
          in.path, String.format("%s at %.2f s (%s)", what, at, Ffmpeg.errorText(err)));
    }

    DecodeResult result() {
      int rate = outRate != 0 ? outRate : (target.sampleRate() == 0 ? sourceRate : target.sampleRate());
      return new DecodeResult(delivered, rate, outChannels, sourceFrames, sourceRate);
    }
  }

  /** Accumulates streamed blocks into growing arrays. */
  private static final class Collector implements SampleSink {
    private float[][] data = new float[0][];
    private int frames;

    @Override
    public void accept(float[][] planar, int n) {
      if (data.length != planar.length) {
        data = new float[planar.length][Math.max(n, 1 << 16)];
      }
      if (frames + n > data[0].length) {
        int cap = Math.max(frames + n, data[0].length * 2);
        for (int c = 0; c < data.length; c++) {
          data[c] = Arrays.copyOf(data[c], cap);
        }
      }
      for (int c = 0; c < data.length; c++) {
        System.arraycopy(planar[c], 0, data[c], frames, n);
      }
      frames += n;
    }

    float[][] toArrays(int channels) {
      float[][] out = new float[channels][];
      for (int c = 0; c < channels; c++) {
        out[c] = c < data.length ? Arrays.copyOf(data[c], frames) : new float[frames];
      }
      return out;
    }
  }
}
