// @ts-check — type-checked by test/console/assets.test.ts (officers/console/public/tsconfig.json).
// The console's only script: keys for the case list and live updates. Every page works without it.
(function () {
  'use strict';
  var list = document.getElementById('inbox-list');
  var status = document.getElementById('live-status');
  var toggle = /** @type {HTMLInputElement | null} */ (document.getElementById('shortcuts'));
  var STORED = 'console.shortcuts';

  // Single-key shortcuts can be turned off (WCAG 2.1.4: speech input types letters too); the choice
  // is kept in this browser. The switch shows only where this script runs.
  function shortcutsOn() {
    try {
      return localStorage.getItem(STORED) !== 'off';
    } catch (e) {
      return true;
    }
  }
  var on = shortcutsOn();
  if (toggle) {
    toggle.checked = on;
    if (toggle.parentElement) toggle.parentElement.hidden = false;
    var box = toggle;
    box.addEventListener('change', function () {
      try {
        localStorage.setItem(STORED, box.checked ? 'on' : 'off');
      } catch (e) {
        /* storage refused: the switch holds for this page only */
      }
      on = box.checked;
    });
  }

  /** @param {EventTarget | null} target */
  function typing(target) {
    return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  /** @returns {Element[]} */
  function rows() {
    return list ? Array.from(list.querySelectorAll('tbody tr a')) : [];
  }

  // j / k move through the cases, Enter opens (a link), / goes to the search box.
  document.addEventListener('keydown', function (event) {
    if (!on || event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    if (event.key === '/') {
      var search = document.getElementById('search');
      if (search) {
        event.preventDefault();
        search.focus();
      }
      return;
    }
    if (event.key !== 'j' && event.key !== 'k') return;
    var links = rows();
    if (!links.length) return;
    var at = links.findIndex(function (a) {
      return a === document.activeElement;
    });
    var next = event.key === 'j' ? Math.min(at + 1, links.length - 1) : Math.max(at - 1, 0);
    event.preventDefault();
    /** @type {HTMLElement} */ (links[next]).focus();
  });

  if (!list || !window.EventSource) return;
  var live = list;
  var from = list.getAttribute('data-refresh');
  if (!from) return;
  var address = from;
  /** @type {ReturnType<typeof setTimeout> | null} */
  var pending = null;
  function refresh() {
    pending = null;
    var focused = document.activeElement && live.contains(document.activeElement) ? document.activeElement.getAttribute('href') : null;
    fetch(address, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        live.innerHTML = html;
        live.setAttribute('data-updated', String(Date.now()));
        if (focused) {
          var again = /** @type {HTMLElement | null} */ (live.querySelector('a[href="' + focused.replace(/"/g, '') + '"]'));
          if (again) again.focus();
        }
        if (status) status.textContent = status.getAttribute('data-text') || '';
      })
      .catch(function () {
        /* the next change tries again */
      });
  }
  var source = new EventSource('/console/events');
  source.addEventListener('change', function () {
    if (!pending) pending = setTimeout(refresh, 300);
  });
})();
