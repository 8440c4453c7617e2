// careinbox live updates. Every page works without this script; with it, a
// page follows the server's event stream (GET /api/v1/events, which accepts
// the session cookie) and refreshes the parts an event changes:
// - on a conversation page, new timeline items are appended in place;
// - on a list page, the list and the unread counts are reloaded.
// Besides, a file chosen for sharing that is over the server's limit is
// refused at once, rather than after a long upload.
(function () {
  'use strict';

  var picker = document.querySelector('input[type=file][data-max-bytes]');
  if (picker) {
    picker.addEventListener('change', function () {
      var max = Number(picker.getAttribute('data-max-bytes'));
      var file = picker.files && picker.files[0];
      var tooLarge = file && file.size > max;
      picker.setCustomValidity(tooLarge ? picker.getAttribute('data-too-large') : '');
      picker.reportValidity();
    });
  }

  var body = document.body;
  var mode = body.getAttribute('data-live');
  if (!mode || !window.EventSource || !window.fetch || !window.DOMParser) {
    return;
  }
  var conversation = body.getAttribute('data-conversation');
  var kinds = [
    'message_created', 'participants_changed', 'archived', 'unarchived',
    'read', 'inbox_membership_changed', 'access_lost', 'conversation_started',
    'inbox_changed', 'team_changed'
  ];

  function parse(html) {
    return new DOMParser().parseFromString(html, 'text/html');
  }

  function announce(text) {
    var status = document.getElementById('live-status');
    if (status && text) {
      status.textContent = text;
    }
  }

  // Replaces the element with `id` by the one of the same id in `doc`, and
  // puts keyboard focus back on the same link or field if it was inside.
  function swap(doc, id) {
    var old = document.getElementById(id);
    var fresh = doc.getElementById(id);
    if (!old || !fresh) {
      return;
    }
    var focused = document.activeElement;
    var key = null;
    if (focused && old.contains(focused)) {
      key = focused.getAttribute('href') || focused.getAttribute('name');
    }
    old.replaceWith(document.importNode(fresh, true));
    if (key) {
      var again = document.getElementById(id).querySelector(
        '[href="' + key + '"], [name="' + key + '"]');
      if (again) {
        again.focus();
      }
    }
  }

  // Reloads the left column with its unread counts; the link of the view
  // that is open stays marked.
  var navTimer = null;
  function refreshNav() {
    clearTimeout(navTimer);
    navTimer = setTimeout(function () {
      fetch('/nav', { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          var old = document.getElementById('nav');
          if (!html || !old) {
            return;
          }
          var current = old.querySelector('[aria-current="page"]');
          var doc = parse(html);
          if (current) {
            var href = current.getAttribute('href');
            var mark = doc.querySelector('#nav [href="' + href + '"]');
            if (mark) {
              mark.setAttribute('aria-current', 'page');
            }
          }
          swap(doc, 'nav');
        })
        .catch(function () {});
    }, 250);
  }

  // Reloads this page in the background and swaps the parts that change.
  var refreshTimer = null;
  function refresh(ids) {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(function () {
      fetch(location.href, { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (!html) {
            return;
          }
          var doc = parse(html);
          ids.forEach(function (id) { swap(doc, id); });
        })
        .catch(function () {});
    }, 250);
  }

  // Appends the timeline items after the last one shown.
  var timeline = document.getElementById('timeline');
  var loading = false;
  var again = false;
  function fetchNew() {
    if (!timeline) {
      return;
    }
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    var last = timeline.getAttribute('data-last-seq') || '0';
    var read = document.visibilityState === 'visible' ? '1' : '0';
    var url = '/c/' + conversation + '/since/' + last + '?read=' + read;
    fetch(url, { credentials: 'same-origin' })
      .then(function (r) {
        if (r.status === 404) {
          lost();
          return null;
        }
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        if (html) {
          append(html);
        }
      })
      .catch(function () {})
      .then(function () {
        loading = false;
        if (again) {
          again = false;
          fetchNew();
        }
      });
  }

  function append(html) {
    var doc = parse('<ol>' + html + '</ol>');
    var items = doc.querySelectorAll('li[data-seq]');
    var last = Number(timeline.getAttribute('data-last-seq') || '0');
    var said = [];
    for (var i = 0; i < items.length; i++) {
      var seq = Number(items[i].getAttribute('data-seq'));
      if (seq <= last) {
        continue;
      }
      var item = document.importNode(items[i], true);
      item.classList.add('arrived');
      timeline.appendChild(item);
      last = seq;
      said.push(item.getAttribute('data-announce'));
    }
    timeline.setAttribute('data-last-seq', String(last));
    announce(said.join('. '));
  }

  // R6: the professional was removed from the inbox through which they
  // took part; the page says so and the reply and share forms go.
  function lost() {
    var notice = document.getElementById('access-lost');
    if (notice) {
      notice.hidden = false;
    }
    ['reply', 'share'].forEach(function (id) {
      var form = document.getElementById(id);
      if (form) {
        form.remove();
      }
    });
  }

  function concernsThis(data) {
    if (!conversation) {
      return false;
    }
    if (data.conversation === conversation) {
      return true;
    }
    return Array.isArray(data.conversations) &&
      data.conversations.indexOf(conversation) >= 0;
  }

  function handle(kind, raw) {
    var data = {};
    try {
      data = JSON.parse(raw || '{}');
    } catch (e) {
      data = {};
    }
    if (mode === 'conversation') {
      // Reading this conversation is what this page does; its own read
      // events change nothing else on it.
      if (kind === 'read') {
        return;
      }
      if (kind === 'access_lost' && concernsThis(data)) {
        lost();
      } else if (kind === 'message_created' && concernsThis(data)) {
        fetchNew();
      } else if (kind === 'participants_changed' && concernsThis(data)) {
        fetchNew();
        refresh(['participants']);
      }
      refreshNav();
    } else {
      refresh(['list', 'nav']);
    }
  }

  var source = new EventSource('/api/v1/events');
  kinds.forEach(function (kind) {
    source.addEventListener(kind, function (event) { handle(kind, event.data); });
  });
  // After a lost connection the browser reconnects with Last-Event-ID; on
  // reopening, catch up once in case the server could not resume.
  var opened = false;
  source.addEventListener('open', function () {
    if (opened) {
      if (mode === 'conversation') {
        fetchNew();
        refreshNav();
      } else {
        refresh(['list', 'nav']);
      }
    }
    opened = true;
  });
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible' && mode === 'conversation') {
      fetchNew();
    }
  });
  window.addEventListener('pagehide', function () { source.close(); });
})();
