// Palaver: talk to an agent from any web page.
//   <script src="https://PALAVER/webvoice/embed.js" data-key="pk_..." data-agent="AGENT_ID" defer></script>
// The key's allowed origins must include the page's origin. Adds a "Talk to us" button and a caption panel.
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script) {
    return;
  }
  var base = new URL(script.src).origin;
  var key = script.dataset.key;
  var agentId = script.dataset.agent;
  var label = script.dataset.label || 'Talk to us';

  function load(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error('could not load ' + src)); };
      document.head.appendChild(s);
    });
  }

  function sessionToken() {
    return fetch(base + '/webvoice/sessions?key=' + encodeURIComponent(key), { method: 'POST', credentials: 'omit' })
      .then(function (response) {
        if (!response.ok) {
          throw new Error('the call could not be authorised (' + response.status + ')');
        }
        return response.json();
      })
      .then(function (body) { return body.token; });
  }

  function ui() {
    var box = document.createElement('div');
    box.setAttribute('role', 'region');
    box.setAttribute('aria-label', 'Voice assistant');
    var s = box.style;
    s.position = 'fixed'; s.right = '1rem'; s.bottom = '1rem'; s.zIndex = '2147483000'; s.maxWidth = '22rem';
    s.font = '15px system-ui, sans-serif'; s.background = '#fff'; s.color = '#111'; s.border = '1px solid #888';
    s.borderRadius = '8px'; s.padding = '0.75rem'; s.boxShadow = '0 2px 8px rgba(0,0,0,.25)';
    var button = document.createElement('button');
    button.type = 'button';
    button.textContent = label;
    var status = document.createElement('p');
    status.setAttribute('role', 'status');
    status.style.margin = '0.5rem 0 0';
    var log = document.createElement('div');
    log.setAttribute('role', 'log');
    log.setAttribute('aria-live', 'polite');
    log.setAttribute('aria-label', 'Captions');
    log.style.maxHeight = '12rem'; log.style.overflowY = 'auto';
    box.appendChild(button); box.appendChild(status); box.appendChild(log);
    document.body.appendChild(box);
    return { button: button, status: status, log: log };
  }

  load(base + '/webvoice/voice.js').then(function () {
    var view = ui();
    var lines = {};
    var active = false;
    var voice = new window.PalaverVoice({
      base: base,
      agentId: agentId,
      token: sessionToken,
      onCaption: function (role, text, isFinal) {
        var line = lines[role];
        if (!line) {
          line = document.createElement('p');
          line.style.margin = '0.25rem 0';
          view.log.appendChild(line);
          lines[role] = line;
        }
        line.textContent = (role === 'user' ? 'You: ' : 'Agent: ') + text;
        if (isFinal) {
          lines[role] = null;
        }
      },
      onState: function (state) { view.status.textContent = state; },
      onConnection: function (c) { if (c === 'offline') { view.status.textContent = 'Offline — reconnecting…'; } },
      onError: function (message) { view.status.textContent = 'The call failed: ' + message; },
      onEnded: function () { active = false; view.button.textContent = label; }
    });
    view.button.addEventListener('click', function () {
      if (active) {
        voice.end();
        return;
      }
      active = true;
      view.button.textContent = 'End call';
      view.status.textContent = 'Connecting…';
      voice.start();
    });
  });
})();
