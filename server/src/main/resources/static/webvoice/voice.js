// Palaver browser voice: one call over the /webvoice socket (protocol in docs/api.md, "Browser voice").
// Used by the talk page and by the embeddable script. No dependencies, no build step.
(function (global) {
  'use strict';

  var RATE = 16000;
  var RESUME_WINDOW_MS = 15000;
  var PING_MS = 15000;

  /**
   * options: base (the server's origin, '' for this page's), agentId, token (a function returning a promise of
   * a credential, or null to use the page's sign-in), and handlers: onStarted(callId),
   * onCaption(role, text, isFinal, interrupted),
   * onState(state), onConnection(status), onPlaying(playing), onNotice(text), onError(message), onEnded(reason).
   */
  function PalaverVoice(options) {
    this.options = options;
    this.base = options.base || '';
    this.socket = null;
    this.context = null;
    this.stream = null;
    this.capture = null;
    this.player = null;
    this.resumeToken = null;
    this.callId = null;
    this.ended = true;
    this.muted = false;
    this.handsFree = true;
    this.talking = false;
    this.lostAt = 0;
    this.pinger = null;
    this.framesSent = 0;
    this.framesReceived = 0;
  }

  PalaverVoice.prototype.emit = function (name) {
    var handler = this.options[name];
    if (typeof handler === 'function') {
      handler.apply(null, Array.prototype.slice.call(arguments, 1));
    }
  };

  PalaverVoice.prototype.socketUrl = function () {
    var base = this.base || global.location.origin;
    return base.replace(/^http/, 'ws') + '/webvoice';
  };

  /** Opens the microphone and the call. */
  PalaverVoice.prototype.start = async function () {
    if (!this.ended) {
      return;
    }
    this.ended = false;
    this.resumeToken = null;
    try {
      this.context = new AudioContext({ sampleRate: RATE, latencyHint: 'interactive' });
      await this.context.audioWorklet.addModule(this.base + '/webvoice/worklet.js');
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true }
      });
      var source = this.context.createMediaStreamSource(this.stream);
      this.capture = new AudioWorkletNode(this.context, 'palaver-capture', { numberOfOutputs: 0 });
      this.player = new AudioWorkletNode(this.context, 'palaver-player',
        { numberOfInputs: 0, outputChannelCount: [1] });
      source.connect(this.capture);
      this.player.connect(this.context.destination);
      var self = this;
      this.capture.port.onmessage = function (event) {
        if (self.socket && self.socket.readyState === WebSocket.OPEN && self.callId) {
          self.socket.send(event.data);
          self.framesSent++;
        }
      };
      this.player.port.onmessage = function (event) {
        var m = event.data;
        if (m.type === 'mark') {
          self.sendJson({ type: 'mark', name: m.name });
        } else if (m.type === 'playing') {
          self.emit('onPlaying', m.playing);
        }
      };
      this.updateSending();
      await this.context.resume();
      await this.connect();
    } catch (e) {
      this.fail(e && e.message ? e.message : String(e));
    }
  };

  PalaverVoice.prototype.connect = async function () {
    var credential = null;
    if (!this.resumeToken && typeof this.options.token === 'function') {
      credential = await this.options.token();
    }
    var self = this;
    var socket = new WebSocket(this.socketUrl());
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    this.emit('onConnection', 'connecting');
    socket.onopen = function () {
      if (self.resumeToken) {
        self.sendJson({ type: 'resume', resumeToken: self.resumeToken });
      } else {
        var start = { type: 'start', agentId: self.options.agentId };
        if (credential) {
          start.token = credential;
        }
        self.sendJson(start);
      }
    };
    socket.onmessage = function (event) {
      if (socket !== self.socket) {
        return;
      }
      if (typeof event.data !== 'string') {
        self.play(event.data);
        return;
      }
      self.handle(JSON.parse(event.data));
    };
    socket.onclose = function () {
      if (socket !== self.socket) {
        return;
      }
      if (self.ended) {
        return;
      }
      if (!self.resumeToken) {
        self.fail('The connection closed before the call started.');
        return;
      }
      self.emit('onConnection', 'offline');
      if (!self.lostAt) {
        self.lostAt = Date.now();
      }
      self.retry();
    };
  };

  PalaverVoice.prototype.retry = function () {
    var self = this;
    var elapsed = Date.now() - this.lostAt;
    if (elapsed > RESUME_WINDOW_MS) {
      this.finish('connection_lost');
      return;
    }
    var delay = Math.min(4000, 250 * Math.pow(2, Math.floor(elapsed / 1000)));
    setTimeout(function () {
      if (self.ended) {
        return;
      }
      if (navigator.onLine === false) {
        self.retry();
        return;
      }
      self.connect().catch(function () { self.retry(); });
    }, delay);
  };

  PalaverVoice.prototype.handle = function (m) {
    switch (m.type) {
      case 'started':
        this.callId = m.callId;
        this.resumeToken = m.resumeToken;
        this.lostAt = 0;
        this.startPinging();
        this.emit('onConnection', 'online');
        this.emit('onStarted', m.callId);
        break;
      case 'resumed':
        this.lostAt = 0;
        this.emit('onConnection', 'online');
        break;
      case 'caption':
        this.emit('onCaption', m.role, m.text, !!m.final, !!m.interrupted);
        break;
      case 'state':
        this.emit('onState', m.state);
        break;
      case 'mark':
        this.player.port.postMessage({ type: 'mark', name: m.name });
        break;
      case 'clear':
        this.player.port.postMessage({ type: 'clear' });
        break;
      case 'notice':
        this.emit('onNotice', m.message);
        break;
      case 'ended':
        this.finish(m.reason || 'ended');
        break;
      case 'error':
        this.fail(m.message || m.code);
        break;
      default:
        break;
    }
  };

  PalaverVoice.prototype.play = function (buffer) {
    this.framesReceived++;
    var pcm = new Int16Array(buffer);
    var samples = new Float32Array(pcm.length);
    for (var i = 0; i < pcm.length; i++) {
      samples[i] = pcm[i] / 32768;
    }
    this.player.port.postMessage({ type: 'audio', samples: samples }, [samples.buffer]);
  };

  PalaverVoice.prototype.sendJson = function (message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(message));
    }
  };

  PalaverVoice.prototype.startPinging = function () {
    var self = this;
    if (!this.pinger) {
      this.pinger = setInterval(function () { self.sendJson({ type: 'ping' }); }, PING_MS);
    }
  };

  /** Hangs up. */
  PalaverVoice.prototype.end = function () {
    if (this.ended) {
      return;
    }
    this.sendJson({ type: 'hangup' });
    this.finish('caller_hung_up');
  };

  PalaverVoice.prototype.fail = function (message) {
    this.emit('onError', message);
    this.finish('failed');
  };

  PalaverVoice.prototype.finish = function (reason) {
    if (this.ended && !this.context) {
      return;
    }
    this.ended = true;
    if (this.pinger) {
      clearInterval(this.pinger);
      this.pinger = null;
    }
    if (this.socket) {
      var socket = this.socket;
      this.socket = null;
      socket.close(1000);
    }
    if (this.stream) {
      this.stream.getTracks().forEach(function (t) { t.stop(); });
      this.stream = null;
    }
    if (this.context) {
      this.context.close();
      this.context = null;
    }
    this.callId = null;
    this.emit('onPlaying', false);
    this.emit('onConnection', 'idle');
    this.emit('onEnded', reason);
  };

  PalaverVoice.prototype.setMuted = function (muted) {
    this.muted = muted;
    this.updateSending();
  };

  /** Hands-free (the microphone is always live) or push-to-talk (live only while talking). */
  PalaverVoice.prototype.setHandsFree = function (handsFree) {
    this.handsFree = handsFree;
    this.updateSending();
  };

  PalaverVoice.prototype.setTalking = function (talking) {
    this.talking = talking;
    this.updateSending();
  };

  PalaverVoice.prototype.updateSending = function () {
    if (this.capture) {
      this.capture.port.postMessage({ sending: !this.muted && (this.handsFree || this.talking) });
    }
  };

  global.PalaverVoice = PalaverVoice;
})(window);
