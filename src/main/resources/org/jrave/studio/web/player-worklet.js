// Plays the live stream's blocks as they arrive from the WebSocket. Waits for `prebuffer` samples
// before starting (the network buffer), drops the oldest audio when more than `maxBuffered` piles up
// (the server's clock and the sound card's drift apart), and tells the page when a block computed
// with a new latent setting starts to play.
class StreamPlayer extends AudioWorkletProcessor {
  constructor() {
    super();
    this.queue = [];
    this.offset = 0;
    this.buffered = 0;
    this.prebuffer = 2048;
    this.maxBuffered = 8192;
    this.playing = false;
    this.heard = 0;
    this.underruns = 0;
    this.frames = 0;
    this.port.onmessage = (e) => {
      const m = e.data;
      if (m.type === 'config') {
        this.prebuffer = m.prebuffer;
        this.maxBuffered = m.maxBuffered;
      } else if (m.type === 'block') {
        this.queue.push(m);
        this.buffered += m.samples.length;
        while (this.buffered - this.queue[0].samples.length + this.offset > this.maxBuffered) {
          this.buffered -= this.queue[0].samples.length - this.offset;
          this.queue.shift();
          this.offset = 0;
        }
      }
    };
  }

  process(inputs, outputs) {
    const out = outputs[0];
    const n = out[0].length;
    let i = 0;
    if (!this.playing && this.buffered >= this.prebuffer) this.playing = true;
    while (this.playing && i < n) {
      if (this.queue.length === 0) {
        this.underruns++;
        this.playing = false;
        break;
      }
      const block = this.queue[0];
      if (this.offset === 0 && block.version > this.heard) {
        this.heard = block.version;
        this.port.postMessage({ type: 'heard', version: block.version });
      }
      const k = Math.min(n - i, block.samples.length - this.offset);
      for (const channel of out) channel.set(block.samples.subarray(this.offset, this.offset + k), i);
      i += k;
      this.offset += k;
      this.buffered -= k;
      if (this.offset === block.samples.length) {
        this.queue.shift();
        this.offset = 0;
      }
    }
    for (const channel of out) channel.fill(0, i);
    this.frames += n;
    if (this.frames >= 4096) {
      this.frames = 0;
      this.port.postMessage({ type: 'player', buffered: this.buffered, underruns: this.underruns });
    }
    return true;
  }
}

registerProcessor('jrave-stream-player', StreamPlayer);
