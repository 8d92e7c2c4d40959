/* Widget demo page: show what a partner page receives when a suggestion is picked. */
(function () {
  'use strict';
  var out = document.getElementById('picked');
  var form = document.querySelector('form.demo');
  if (form) form.addEventListener('submit', function (event) { event.preventDefault(); });
  document.addEventListener('sozialatlas:select', function (event) {
    if (out) out.textContent = JSON.stringify(event.detail);
  });
})();
