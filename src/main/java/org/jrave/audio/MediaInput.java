package org.jrave.audio;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_DURATION_FROM_BITRATE;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.PointerPointer;

/** An opened media file with its best audio stream and an opened decoder; frees both on close. */
final class MediaInput implements AutoCloseable {
  final Path path;
  final AVFormatContext format;
  final AVStream stream;
  final int streamIndex;
  final AVCodecContext codec;

  private MediaInput(Path path, AVFormatContext format, AVStream stream, int index, AVCodecContext codec) {
    this.path = path;
    this.format = format;
    this.stream = stream;
    this.streamIndex = index;
    this.codec = codec;
  }

  static MediaInput open(Path path) throws AudioDecodeException {
    Ffmpeg.init();
    if (!Files.isRegularFile(path)) {
      throw new AudioDecodeException(path, "not a regular file");
    }
    if (!Files.isReadable(path)) {
      throw new AudioDecodeException(path, "not readable (permission denied)");
    }
    AVFormatContext format = new AVFormatContext(null);
    int err = avformat_open_input(format, path.toString(), null, (AVDictionary) null);
    if (err < 0) {
      throw new AudioDecodeException(path, "not a recognised audio file (" + Ffmpeg.errorText(err) + ")");
    }
    AVCodecContext codec = null;
    try {
      err = avformat_find_stream_info(format, (PointerPointer<?>) null);
      if (err < 0) {
        throw new AudioDecodeException(path, "unreadable stream information (" + Ffmpeg.errorText(err) + ")");
      }
      int index = av_find_best_stream(format, AVMEDIA_TYPE_AUDIO, -1, -1, (AVCodec) null, 0);
      if (index < 0) {
        throw new AudioDecodeException(path, "contains no audio stream");
      }
      AVStream stream = format.streams(index);
      AVCodecParameters params = stream.codecpar();
      AVCodec decoder = avcodec_find_decoder(params.codec_id());
      if (decoder == null) {
        throw new AudioDecodeException(
            path, "no decoder for codec '" + avcodec_get_name(params.codec_id()).getString() + "'");
      }
      if (params.sample_rate() <= 0 || params.ch_layout().nb_channels() <= 0) {
        throw new AudioDecodeException(path, "audio stream has no sampling rate or no channels");
      }
      codec = avcodec_alloc_context3(decoder);
      avcodec_parameters_to_context(codec, params);
      codec.thread_count(1); // files are decoded in parallel, one thread each
      err = avcodec_open2(codec, decoder, (PointerPointer<?>) null);
      if (err < 0) {
        throw new AudioDecodeException(path, "cannot open the decoder (" + Ffmpeg.errorText(err) + ")");
      }
      return new MediaInput(path, format, stream, index, codec);
    } catch (AudioDecodeException | RuntimeException e) {
      if (codec != null) {
        avcodec_free_context(codec);
      }
      avformat_close_input(format);
      throw e;
    }
  }

  AudioInfo info() {
    AVCodecParameters params = stream.codecpar();
    return new AudioInfo(
        path,
        avcodec_get_name(params.codec_id()).getString(),
        params.sample_rate(),
        params.ch_layout().nb_channels(),
        declaredSeconds(),
        format.duration_estimation_method() != AVFMT_DURATION_FROM_BITRATE);
  }

  /** The duration the container declares for the stream, NaN when it declares none. */
  double declaredSeconds() {
    if (stream.duration() != AV_NOPTS_VALUE && stream.duration() > 0) {
      return stream.duration() * (double) stream.time_base().num() / stream.time_base().den();
    }
    if (format.duration() != AV_NOPTS_VALUE && format.duration() > 0) {
      return format.duration() / (double) AV_TIME_BASE;
    }
    return Double.NaN;
  }

  @Override
  public void close() {
    avcodec_free_context(codec);
    avformat_close_input(format);
  }
}
