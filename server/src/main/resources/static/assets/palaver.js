// Palaver dashboard: htmx requests carry the CSRF token; charts are drawn from JSON data blocks.
(function () {
  'use strict';
  document.addEventListener('htmx:configRequest', function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) {
      event.detail.headers['X-CSRF-TOKEN'] = meta.getAttribute('content');
    }
  });
  document.addEventListener('htmx:responseError', function (event) {
    var target = document.getElementById('htmx-error');
    if (target) {
      target.textContent = 'The request failed (' + event.detail.xhr.status + '). ' + (event.detail.xhr.responseText || '').slice(0, 300);
    }
  });
})();
