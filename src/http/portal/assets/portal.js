// Custos portal: small progressive enhancement; every page works without it.
(function () {
  'use strict';
  // Move focus to an error summary so screen-reader and keyboard users hear what went wrong first.
  var summary = document.querySelector('[data-focus-on-load]');
  if (summary) summary.focus();

  // Live screening feedback on the party form: the server renders the same result on "Check against lists".
  var form = document.querySelector('[data-screen-form]');
  var out = document.getElementById('screening-result');
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (!form || !out || !meta || !window.fetch) return;
  var nameInput = form.querySelector('[name="name"]');
  var countryInput = form.querySelector('[name="country"]');
  var timer = null;
  var seq = 0;
  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (cls) el.className = cls;
    return el;
  }
  function render(result) {
    out.textContent = '';
    var p = document.createElement('p');
    if (!result) {
      p.textContent = out.getAttribute('data-unavailable');
      out.appendChild(p);
      return;
    }
    var hits = result.hits || [];
    p.appendChild(
      text(
        'span',
        out.getAttribute(hits.length ? 'data-possible' : 'data-clear'),
        hits.length ? 'tag tag-yes' : 'tag tag-no',
      ),
    );
    out.appendChild(p);
    if (!hits.length) return;
    var ul = document.createElement('ul');
    hits.forEach(function (h) {
      ul.appendChild(
        text('li', h.entryName + ' — ' + h.listName + ' (' + Number(h.score01).toFixed(2) + ')'),
      );
    });
    out.appendChild(ul);
  }
  function screen() {
    var name = nameInput.value.trim();
    if (name.length < 2) return;
    var body = { name: name };
    var c = countryInput && countryInput.value.trim().toUpperCase();
    if (c && /^[A-Z]{2}$/.test(c)) body.country = c;
    var mine = ++seq;
    fetch('/api/screenings', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': meta.getAttribute('content') },
      body: JSON.stringify(body),
    })
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .then(function (json) {
        if (mine === seq) render(json);
      })
      .catch(function () {
        if (mine === seq) render(null);
      });
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(screen, 500);
  }
  if (nameInput) nameInput.addEventListener('input', later);
  if (countryInput) countryInput.addEventListener('input', later);
})();
