// Palaver dashboard: htmx requests carry the CSRF token; charts are drawn from JSON data blocks.
(function () {
  'use strict';
  document.addEventListener('htmx:configRequest', function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) {
      event.detail.headers['X-CSRF-TOKEN'] = meta.getAttribute('content');
    }
  });
  // Error answers are readable fragments (the server retargets them to #htmx-error): swap them in too.
  document.addEventListener('DOMContentLoaded', function () {
    if (window.htmx) {
      window.htmx.config.responseHandling = [
        {code: '204', swap: false},
        {code: '[23]..', swap: true},
        {code: '[45]..', swap: true, error: true}
      ];
    }
  });
  document.addEventListener('htmx:beforeRequest', function () {
    var region = document.getElementById('htmx-error');
    if (region) {
      region.textContent = '';
    }
  });
  document.addEventListener('htmx:sendError', function () {
    var region = document.getElementById('htmx-error');
    if (region) {
      region.textContent = 'The server could not be reached; check the connection and try again.';
    }
  });
})();
// Charts: each <canvas data-chart="ID"> is drawn from the JSON configuration in <script type="application/json" id="ID">.
(function () {
  'use strict';
  function draw() {
    if (!window.Chart) {
      return;
    }
    document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute('data-chart'));
      if (source && !canvas.dataset.drawn) {
        canvas.dataset.drawn = 'yes';
        new window.Chart(canvas, JSON.parse(source.textContent));
      }
    });
  }
  document.addEventListener('DOMContentLoaded', draw);
  document.addEventListener('htmx:afterSettle', draw);
})();
// A form with data-clear-after="ID" empties that field once its htmx request succeeded (the test panel's text).
document.addEventListener('htmx:afterRequest', function (event) {
  'use strict';
  var form = event.target;
  if (event.detail.successful && form.getAttribute && form.getAttribute('data-clear-after')) {
    var field = document.getElementById(form.getAttribute('data-clear-after'));
    if (field) {
      field.value = '';
      field.focus();
    }
  }
});
