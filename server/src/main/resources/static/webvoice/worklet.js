// Palaver browser voice: the two audio worklets. The AudioContext runs at 16 kHz, the engine's rate, so the
// browser resamples the microphone and no resampling happens here.
'use strict';

const FRAME = 320; // 20 ms at 16 kHz

/** Microphone → PCM16 frames of 20 ms, posted to the page. While not sending (muted, push-to-talk released)
 *  it posts silence, so the agent's turn detection still sees the caller stop. */
class PalaverCapture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.frame = new Int16Array(FRAME);
    this.filled = 0;
    this.sending = true;
    this.port.onmessage = (event) => { this.sending = !!event.data.sending; };
  }

  process(inputs) {
    const input = inputs[0] && inputs[0][0];
    if (!input) {
      return true;
    }
    for (let i = 0; i < input.length; i++) {
      const s = this.sending ? Math.max(-1, Math.min(1, input[i])) : 0;
      this.frame[this.filled++] = s < 0 ? s * 0x8000 : s * 0x7fff;
      if (this.filled === FRAME) {
        this.port.postMessage(this.frame.buffer, [this.frame.buffer]);
        this.frame = new Int16Array(FRAME);
        this.filled = 0;
      }
    }
    return true;
  }
}

/** The agent's audio, played without gaps from a queue of chunks and marks. A mark is reported when playback
 *  reaches it; "clear" drops everything queued (the caller interrupted). */
class PalaverPlayer extends AudioWorkletProcessor {
  constructor() {
    super();
    this.queue = [];
    this.current = null;
    this.position = 0;
    this.playing = false;
    this.port.onmessage = (event) => {
      const m = event.data;
      if (m.type === 'audio') {
        this.queue.push({ samples: m.samples });
      } else if (m.type === 'mark') {
        this.queue.push({ mark: m.name });
      } else if (m.type === 'clear') {
        this.queue = [];
        this.current = null;
        this.report(false);
      }
    };
  }

  report(playing) {
    if (playing !== this.playing) {
      this.playing = playing;
      this.port.postMessage({ type: 'playing', playing: playing });
    }
  }

  process(inputs, outputs) {
    const out = outputs[0][0];
    let i = 0;
    let played = false;
    while (i < out.length) {
      if (!this.current) {
        const next = this.queue.shift();
        if (!next) {
          break;
        }
        if (next.mark !== undefined) {
          this.port.postMessage({ type: 'mark', name: next.mark });
          continue;
        }
        this.current = next.samples;
        this.position = 0;
      }
      const take = Math.min(out.length - i, this.current.length - this.position);
      out.set(this.current.subarray(this.position, this.position + take), i);
      i += take;
      this.position += take;
      played = true;
      if (this.position >= this.current.length) {
        this.current = null;
      }
    }
    out.fill(0, i);
    this.report(played || this.current !== null || this.queue.some((q) => q.samples));
    return true;
  }
}

registerProcessor('palaver-capture', PalaverCapture);
registerProcessor('palaver-player', PalaverPlayer);
