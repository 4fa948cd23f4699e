// The talk page (/agents/{id}/talk): buttons, captions, state, modes and keys around PalaverVoice.
(function () {
  'use strict';

  var STATES = { listening: 'Listening', thinking: 'Thinking…', speaking: 'Speaking' };
  var CONNECTION = { idle: 'Not in a call', connecting: 'Connecting…', online: 'Online', offline: 'Offline — reconnecting…' };

  function $(id) {
    return document.getElementById(id);
  }

  function init() {
    var root = $('talk');
    if (!root) {
      return;
    }
    var startButton = $('talk-start');
    var endButton = $('talk-end');
    var muteButton = $('talk-mute');
    var pttButton = $('talk-ptt');
    var log = $('talk-captions');
    var state = $('talk-state');
    var connection = $('talk-connection');
    var problem = $('talk-problem');
    var partial = { user: null, agent: null };
    var inCall = false;

    function setConnection(status) {
      var offline = navigator.onLine === false;
      var shown = offline && status !== 'idle' ? 'offline' : status;
      connection.textContent = offline && status === 'idle' ? 'Offline' : CONNECTION[shown];
      connection.dataset.status = offline ? 'offline' : shown;
    }

    function caption(role, text, isFinal, interrupted) {
      var line = partial[role];
      if (!line) {
        line = document.createElement('p');
        line.className = 'caption caption-' + role;
        var who = document.createElement('span');
        who.className = 'caption-who';
        who.textContent = role === 'user' ? 'You: ' : 'Agent: ';
        line.appendChild(who);
        line.appendChild(document.createElement('span'));
        log.appendChild(line);
        partial[role] = line;
      }
      line.lastChild.textContent = text + (interrupted ? ' —' : '');
      line.dataset.final = isFinal ? 'true' : 'false';
      if (isFinal) {
        partial[role] = null;
      }
      log.scrollTop = log.scrollHeight;
    }

    var voice = new window.PalaverVoice({
      agentId: root.dataset.agentId,
      token: null,
      onStarted: function (callId) {
        root.dataset.callId = callId;
      },
      onCaption: caption,
      onState: function (s) {
        state.textContent = STATES[s] || s;
        state.dataset.state = s;
      },
      onConnection: setConnection,
      onPlaying: function (playing) {
        root.dataset.playing = playing ? 'true' : 'false';
      },
      onNotice: function (text) {
        problem.textContent = text;
      },
      onError: function (message) {
        problem.textContent = 'The call failed: ' + message;
      },
      onEnded: function (reason) {
        inCall = false;
        startButton.disabled = false;
        endButton.disabled = true;
        pttButton.disabled = true;
        state.textContent = 'Call ended';
        state.dataset.state = 'ended';
        root.dataset.ended = reason;
        startButton.focus();
      }
    });

    // For the console (and tests): the call's client, e.g. palaverTalk.framesSent.
    window.palaverTalk = voice;

    startButton.addEventListener('click', function () {
      problem.textContent = '';
      inCall = true;
      startButton.disabled = true;
      endButton.disabled = false;
      pttButton.disabled = voice.handsFree;
      delete root.dataset.ended;
      state.textContent = 'Starting…';
      voice.start().then(function () {
        if (inCall) {
          endButton.focus();
        }
      });
    });
    endButton.addEventListener('click', function () {
      voice.end();
    });
    muteButton.addEventListener('click', function () {
      var muted = muteButton.getAttribute('aria-pressed') !== 'true';
      muteButton.setAttribute('aria-pressed', muted ? 'true' : 'false');
      muteButton.textContent = muted ? 'Unmute' : 'Mute';
      voice.setMuted(muted);
    });
    document.querySelectorAll('input[name="talk-mode"]').forEach(function (radio) {
      radio.addEventListener('change', function () {
        var handsFree = radio.value === 'hands-free';
        voice.setHandsFree(handsFree);
        pttButton.disabled = handsFree || !inCall;
        $('talk-ptt-help').hidden = handsFree;
      });
    });

    function talking(on) {
      if (voice.handsFree || !inCall) {
        return;
      }
      voice.setTalking(on);
      pttButton.setAttribute('aria-pressed', on ? 'true' : 'false');
      pttButton.textContent = on ? 'Talking… release to stop' : 'Hold to talk';
    }

    pttButton.addEventListener('pointerdown', function () { talking(true); });
    pttButton.addEventListener('pointerup', function () { talking(false); });
    pttButton.addEventListener('pointerleave', function () { talking(false); });
    // Hold Space to talk, anywhere but in a control that Space operates (except the talk button itself).
    function spaceOwnedByFocus(target) {
      return target !== pttButton && target && target.matches && target.matches('button, input, select, textarea, a, summary');
    }
    document.addEventListener('keydown', function (event) {
      if (event.code === 'Space' && !voice.handsFree && inCall && !spaceOwnedByFocus(event.target)) {
        event.preventDefault();
        if (!event.repeat) {
          talking(true);
        }
      }
    });
    document.addEventListener('keyup', function (event) {
      if (event.code === 'Space' && !voice.handsFree && inCall && !spaceOwnedByFocus(event.target)) {
        event.preventDefault();
        talking(false);
      }
    });
    window.addEventListener('online', function () { setConnection(inCall ? 'connecting' : 'idle'); });
    window.addEventListener('offline', function () { setConnection(inCall ? 'offline' : 'idle'); });
    setConnection('idle');
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
