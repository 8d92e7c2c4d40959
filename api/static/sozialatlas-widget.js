/*!
 * Sozialatlas Chemnitz – autocomplete widget for partner websites. No dependencies.
 *
 *   <input name="q" data-sozialatlas-suggest>
 *   <script src="https://<sozialatlas host>/static/sozialatlas-widget.js"
 *           data-partner-key="YOUR-KEY" defer></script>
 *
 * Attributes on the input:
 *   data-sozialatlas-suggest           "" (fill the input only), "submit" (then submit its
 *                                      form) or "navigate" (open the service on Sozialatlas)
 *   data-sozialatlas-lang              de, en, uk, ru, ar or tr (default: the page's lang;
 *                                      a language the site does not speak gets German)
 * Attributes on the script: data-partner-key (sent as X-Api-Key), data-styles="none" (style
 * the .sza-* classes yourself, e.g. under a strict Content-Security-Policy).
 * The widget's words come from <sozialatlas host>/widget/text.json, like the suggestions
 * (a strict Content-Security-Policy lists the host in connect-src; no eval, no inline code).
 * Every pick fires a cancelable, bubbling "sozialatlas:select" event on the input; its
 * detail is {type, text, id, code, district, url}.
 */
(function () {
  'use strict';
  if (window.SozialatlasWidget) return;
  var script = document.currentScript;
  var base = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  var key = script ? script.getAttribute('data-partner-key') : null;
  // The visit's search-log session, issued by the server: keystrokes of one search are then
  // counted as one search, not as many.
  var session = null;
  // The widget's words, in the language asked for, from the site's gettext catalogues
  // (GET /widget/text.json): one request per language and page, before the first list.
  var texts = {};
  function strings(lang) {
    if (!texts[lang]) {
      texts[lang] = fetch(base + '/widget/text.json?lang=' + encodeURIComponent(lang),
                          { credentials: 'omit', headers: { Accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; });
    }
    return texts[lang];
  }
  var CSS = '.sza-combo{position:relative;display:inline-block}' +
    '.sza-list{position:absolute;left:0;right:0;top:100%;z-index:2147483000;margin:2px 0 0;padding:4px 0;' +
    'list-style:none;background:#fff;color:#1b1f24;border:1px solid #4a525c;border-radius:4px;' +
    'box-shadow:0 4px 12px rgba(0,0,0,.15);font:inherit;min-width:14em}' +
    '.sza-list li{padding:6px 10px;cursor:pointer;display:flex;justify-content:space-between;gap:1em}' +
    '.sza-list li[aria-selected=true]{background:#0b5cad;color:#fff}.sza-type{font-size:.85em;opacity:.85}';
  var count = 0;

  function addStyles() {
    if ((script && script.getAttribute('data-styles') === 'none') || document.getElementById('sza-styles')) return;
    var style = document.createElement('style');
    style.id = 'sza-styles';
    style.textContent = CSS;
    document.head.appendChild(style);
  }

  function hide(el) {
    el.style.cssText = 'position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap';
  }

  function enhance(input) {
    if (input.getAttribute('data-sza-ready')) return;
    input.setAttribute('data-sza-ready', '1');
    var id = 'sza-' + (++count);
    var lang = (input.getAttribute('data-sozialatlas-lang') || document.documentElement.lang || 'de')
      .slice(0, 2).toLowerCase();
    var text = {};
    var mode = input.getAttribute('data-sozialatlas-suggest') || '';
    var wrap = document.createElement('div');
    wrap.className = 'sza-combo';
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    var list = document.createElement('ul');
    list.id = id + '-list';
    list.className = 'sza-list';
    list.setAttribute('role', 'listbox');
    list.hidden = true;
    wrap.appendChild(list);
    var status = document.createElement('div');
    status.setAttribute('role', 'status');
    hide(status);
    wrap.appendChild(status);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', list.id);
    input.setAttribute('autocomplete', 'off');

    // The server answers in the language it has (German for others): suggestions follow it.
    var ready = strings(lang).then(function (found) {
      if (found) { text = found; lang = found.lang || lang; }
      list.setAttribute('aria-label', text.suggestions || '');
    });

    function counted(n) {
      var forms = text.suggestions_count || [];
      return forms.length ? forms[Math.min(n, forms.length - 1)] : '';
    }

    var items = [];
    var active = -1;
    var timer = 0;
    var seq = 0;
    var queryId = null;  // of the answer shown: clicks refer to it
    var controller = null;

    function setActive(index) {
      active = index;
      for (var i = 0; i < list.children.length; i++) {
        list.children[i].setAttribute('aria-selected', i === index ? 'true' : 'false');
      }
      if (index >= 0) {
        input.setAttribute('aria-activedescendant', list.children[index].id);
        if (list.children[index].scrollIntoView) list.children[index].scrollIntoView({ block: 'nearest' });
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }

    function close() {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      setActive(-1);
    }

    function render(suggestions) {
      items = suggestions;
      list.textContent = '';
      suggestions.forEach(function (s, i) {
        var li = document.createElement('li');
        li.id = id + '-opt-' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.setAttribute('data-type', s.type);
        var label = document.createElement('span');
        label.textContent = s.text;
        var kind = document.createElement('span');
        kind.className = 'sza-type';
        kind.textContent = s.type === 'category' ? text.suggestion_category || ''
          : (s.district || text.suggestion_provider || '');
        li.appendChild(label);
        li.appendChild(kind);
        li.addEventListener('mousedown', function (e) { e.preventDefault(); pick(i); });
        list.appendChild(li);
      });
      var open = suggestions.length > 0;
      list.hidden = !open;
      input.setAttribute('aria-expanded', open ? 'true' : 'false');
      active = -1;
      input.removeAttribute('aria-activedescendant');
      status.textContent = open ? counted(suggestions.length) : text.no_suggestions || '';
    }

    function fetchSuggestions() {
      var q = input.value.trim();
      if (q.length < 2) { close(); items = []; return; }
      var mine = ++seq;
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      var signal = controller ? controller.signal : undefined;
      ready.then(function () {
        var headers = { Accept: 'application/json' };
        if (key) headers['X-Api-Key'] = key;
        if (session) headers['X-Search-Session'] = session;
        var url = base + '/api/v1/suggest?limit=8&lang=' + encodeURIComponent(lang) +
          '&q=' + encodeURIComponent(q.slice(0, 60));
        return fetch(url, { headers: headers, signal: signal, credentials: 'omit' });
      })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          if (data.session) session = data.session;
          if (mine === seq && document.activeElement === input) {
            queryId = data.query_id || null;
            render(data.suggestions || []);
          }
        })
        .catch(function () { /* offline or aborted: no list */ });
    }

    function sendClick(s, rank) {
      // A picked service counts as a click on that answer (its token proves it was shown).
      if (!queryId || !s.click_token || !window.fetch) return;
      var headers = { 'Content-Type': 'application/json' };
      if (key) headers['X-Api-Key'] = key;
      if (session) headers['X-Search-Session'] = session;
      fetch(base + '/api/v1/events/click', {
        method: 'POST', headers: headers, credentials: 'omit', keepalive: true,
        body: JSON.stringify({ query_id: queryId, provider_id: s.id, rank: rank, token: s.click_token })
      }).catch(function () { /* a lost click is no error for the visitor */ });
    }

    function pick(index) {
      var s = items[index];
      if (!s) return;
      input.value = s.text;
      close();
      if (s.type === 'provider') sendClick(s, index + 1);
      var url = s.type === 'provider' && s.id ? base + '/p/' + encodeURIComponent(s.id)
        : base + '/?category=' + encodeURIComponent(s.code || '');
      var detail = { type: s.type, text: s.text, id: s.id || null, code: s.code || null,
        district: s.district || null, url: url };
      var event;
      try {
        event = new CustomEvent('sozialatlas:select', { detail: detail, bubbles: true, cancelable: true });
      } catch (e) { return; }
      if (!input.dispatchEvent(event)) return;
      if (mode === 'navigate') location.href = url;
      else if (mode === 'submit' && input.form) {
        if (input.form.requestSubmit) input.form.requestSubmit(); else input.form.submit();
      }
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 120);
    });
    input.addEventListener('keydown', function (e) {
      var open = !list.hidden && items.length > 0;
      if (e.key === 'ArrowDown' || e.key === 'Down') {
        e.preventDefault();
        if (!open) { if (items.length) render(items); else fetchSuggestions(); return; }
        setActive(active + 1 >= items.length ? 0 : active + 1);
      } else if (e.key === 'ArrowUp' || e.key === 'Up') {
        if (!open) return;
        e.preventDefault();
        setActive(active <= 0 ? items.length - 1 : active - 1);
      } else if (e.key === 'Enter') {
        if (open && active >= 0) { e.preventDefault(); pick(active); } else close();
      } else if (e.key === 'Escape' || e.key === 'Esc') {
        if (open) { e.preventDefault(); close(); }
      } else if (e.key === 'Tab') {
        close();
      }
    });
    input.addEventListener('blur', function () { setTimeout(close, 100); });
  }

  function enhanceAll(root) {
    var inputs = (root || document).querySelectorAll('input[data-sozialatlas-suggest]');
    for (var i = 0; i < inputs.length; i++) enhance(inputs[i]);
  }

  window.SozialatlasWidget = { enhance: enhance, enhanceAll: enhanceAll };
  function start() { addStyles(); enhanceAll(document); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
