/* Sozialatlas search page: live results without reloading. The page works without this
   file; here the form, filters, links and suggestions fetch the results region
   (?partial=1, rendered by the same server code) and swap it in.
   Versioned file name: bump -vN when changing it. */
(function () {
  'use strict';
  var form = document.getElementById('search-form');
  var region = document.getElementById('results-region');
  if (!form || !region || !window.fetch || !window.URLSearchParams || !window.FormData) return;
  document.documentElement.classList.add('js');
  var live = document.getElementById('live');
  var input = document.getElementById('q');
  var locate = document.getElementById('locate');
  var pending = null;

  function formUrl(extra) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value !== '' && name !== 'page' && !(extra && name in extra)) params.append(name, value);
    });
    Object.keys(extra || {}).forEach(function (name) { if (extra[name]) params.set(name, extra[name]); });
    var query = params.toString();
    return '/' + (query ? '?' + query : '');
  }

  function load(url, push, focusResults) {
    if (pending) pending.abort();
    var controller = new AbortController();
    pending = controller;
    var started = performance.now();
    var focused = document.activeElement;
    var focusId = focused && region.contains(focused) && focused.id ? focused.id : null;
    var target = new URL(url, location.href);
    var partial = new URL(target.href);
    partial.searchParams.set('partial', '1');
    region.setAttribute('aria-busy', 'true');
    document.body.classList.add('loading');
    return fetch(partial.href, { signal: controller.signal, credentials: 'same-origin',
                                 headers: { Accept: 'text/html' } })
      .then(function (response) {
        if (!response.ok && response.status !== 503) throw new Error('HTTP ' + response.status);
        return response.text();
      })
      .then(function (html) {
        region.innerHTML = html;
        if (push) history.pushState({ live: true }, '', target.pathname + target.search);
        if (input && document.activeElement !== input) input.value = target.searchParams.get('q') || '';
        var title = document.getElementById('results-title');
        if (focusId && document.getElementById(focusId)) {
          document.getElementById(focusId).focus();
        } else if (focusResults && title) {
          title.setAttribute('tabindex', '-1');
          title.focus();
        }
        var layout = region.querySelector('[data-count]');
        if (live) live.textContent = layout ? layout.getAttribute('data-count') : '';
        var ms = performance.now() - started;
        document.documentElement.setAttribute('data-roundtrip-ms', ms.toFixed(1));
        document.dispatchEvent(new CustomEvent('sozialatlas:results', { detail: { ms: ms } }));
      })
      .catch(function (error) {
        if (error && error.name === 'AbortError') return;
        location.href = target.href; // fall back to a full page load
      })
      .then(function () {
        if (pending === controller) {
          pending = null;
          region.removeAttribute('aria-busy');
          document.body.classList.remove('loading');
        }
      });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    load(formUrl(), true, false);
  });
  region.addEventListener('change', function (event) {
    var el = event.target;
    if (el.matches('input[type=checkbox], select')) load(formUrl(), true, false);
  });
  region.addEventListener('click', function (event) {
    var link = event.target.closest('a[data-live]');
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    load(link.href, true, true);
  });
  window.addEventListener('popstate', function () { load(location.href, false, false); });

  if (input) {
    input.addEventListener('sozialatlas:select', function (event) {
      var s = event.detail || {};
      event.preventDefault();
      if (s.type === 'provider' && s.id) {
        location.href = '/p/' + encodeURIComponent(s.id);
      } else if (s.type === 'category' && s.code) {
        input.value = '';
        load('/?category=' + encodeURIComponent(s.code), true, true);
      } else {
        load(formUrl(), true, false);
      }
    });
  }

  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener('click', function () {
      locate.disabled = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        locate.disabled = false;
        var near = position.coords.latitude.toFixed(4) + ',' + position.coords.longitude.toFixed(4);
        load(formUrl({ near: near, sort: 'distance' }), true, true);
      }, function () {
        locate.disabled = false;
        if (live) live.textContent = locate.getAttribute('data-error');
      }, { maximumAge: 600000, timeout: 10000 });
    });
  }
})();
