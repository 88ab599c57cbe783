package org.jrave.audio;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;

/** Test helper: encodes planar float audio with one of FFmpeg's own encoders (m4a/AAC, Opus, ...). */
final class TestEncoder {
  private TestEncoder() {}

  /** Returns false when this FFmpeg build has no such encoder. */
  static boolean encode(float[][] x, int rate, Path out, String encoder, String container) {
    AVCodec codec = avcodec_find_encoder_by_name(encoder);
    if (codec == null) {
      return false;
    }
    AVFormatContext oc = new AVFormatContext(null);
    check(avformat_alloc_output_context2(oc, null, container, out.toString()), "output context");
    AVCodecContext c = avcodec_alloc_context3(codec);
    AVPacket pkt = av_packet_alloc();
    AVFrame frame = av_frame_alloc();
    try {
      AVStream st = avformat_new_stream(oc, null);
      c.sample_fmt(AV_SAMPLE_FMT_FLTP);
      c.sample_rate(rate);
      av_channel_layout_default(c.ch_layout(), x.length);
      c.bit_rate(128000);
      c.time_base(av_make_q(1, rate));
      c.strict_std_compliance(FF_COMPLIANCE_EXPERIMENTAL);
      if ((oc.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
        c.flags(c.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
      }
      check(avcodec_open2(c, codec, (PointerPointer<?>) null), "open encoder " + encoder);
      check(avcodec_parameters_from_context(st.codecpar(), c), "parameters");
      st.time_base(c.time_base());
      AVIOContext pb = new AVIOContext(null);
      check(avio_open(pb, out.toString(), AVIO_FLAG_WRITE), "open file");
      oc.pb(pb);
      check(avformat_write_header(oc, (AVDictionary) null), "header");
      int frameSize = c.frame_size() > 0 ? c.frame_size() : 1024;
      frame.nb_samples(frameSize);
      frame.format(c.sample_fmt());
      frame.sample_rate(rate);
      av_channel_layout_copy(frame.ch_layout(), c.ch_layout());
      check(av_frame_get_buffer(frame, 0), "frame buffer");
      int n = x[0].length;
      for (int pos = 0; pos < n; pos += frameSize) {
        int len = Math.min(frameSize, n - pos);
        check(av_frame_make_writable(frame), "writable");
        frame.nb_samples(len);
        for (int ch = 0; ch < x.length; ch++) {
          new FloatPointer(frame.data(ch)).put(x[ch], pos, len);
        }
        frame.pts(pos);
        check(avcodec_send_frame(c, frame), "send frame");
        drain(oc, c, st, pkt);
      }
      check(avcodec_send_frame(c, null), "flush");
      drain(oc, c, st, pkt);
      check(av_write_trailer(oc), "trailer");
      avio_closep(oc.pb());
      return true;
    } finally {
      av_frame_free(frame);
      av_packet_free(pkt);
      avcodec_free_context(c);
      avformat_free_context(oc);
    }
  }

  private static void drain(AVFormatContext oc, AVCodecContext c, AVStream st, AVPacket pkt) {
    while (avcodec_receive_packet(c, pkt) >= 0) {
      av_packet_rescale_ts(pkt, c.time_base(), st.time_base());
      pkt.stream_index(st.index());
      check(av_interleaved_write_frame(oc, pkt), "write");
    }
  }

  private static void check(int err, String what) {
    if (err < 0) {
      throw new IllegalStateException(what + " failed: " + err);
    }
  }
}
