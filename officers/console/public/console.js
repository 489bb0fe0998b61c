// The console's only script: keys for the case list and live updates. Every page works without it.
(function () {
  'use strict';
  var list = document.getElementById('inbox-list');
  var status = document.getElementById('live-status');
  var toggle = document.getElementById('shortcuts');
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
    toggle.addEventListener('change', function () {
      try {
        localStorage.setItem(STORED, toggle.checked ? 'on' : 'off');
      } catch (e) {
        /* storage refused: the switch holds for this page only */
      }
      on = toggle.checked;
    });
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function rows() {
    return list ? Array.prototype.slice.call(list.querySelectorAll('tbody tr a')) : [];
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
    var at = links.indexOf(document.activeElement);
    var next = event.key === 'j' ? Math.min(at + 1, links.length - 1) : Math.max(at - 1, 0);
    event.preventDefault();
    links[next].focus();
  });

  if (!list || !window.EventSource) return;
  var pending = null;
  function refresh() {
    pending = null;
    var focused = document.activeElement && list.contains(document.activeElement) ? document.activeElement.getAttribute('href') : null;
    fetch(list.getAttribute('data-refresh'), { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        list.innerHTML = html;
        list.setAttribute('data-updated', String(Date.now()));
        if (focused) {
          var again = list.querySelector('a[href="' + focused.replace(/"/g, '') + '"]');
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
