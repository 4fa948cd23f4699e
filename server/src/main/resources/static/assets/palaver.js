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
