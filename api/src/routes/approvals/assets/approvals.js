/* global document, window, DOMParser, HTMLFormElement, HTMLButtonElement */
// Progressive enhancement of the approval page: forms marked data-enhance are posted with fetch
// and the answer's <main> replaces this one, so a decision needs no full reload. Without this
// script (or when fetch fails) the same forms work as plain HTML posts.
'use strict';

function focusNotice(main) {
  var target = main.querySelector('[data-focus]') || main;
  target.focus();
}

document.addEventListener('submit', function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-enhance')) return;
  event.preventDefault();
  var body = new URLSearchParams(new FormData(form));
  var submitter = event.submitter;
  if (submitter instanceof HTMLButtonElement && submitter.name) body.append(submitter.name, submitter.value);
  var buttons = form.querySelectorAll('button');
  buttons.forEach(function (button) { button.disabled = true; });
  form.setAttribute('aria-busy', 'true');
  // getAttribute: a field named "action" would shadow form.action.
  fetch(form.getAttribute('action'), { method: 'POST', body: body, credentials: 'same-origin', headers: { 'X-Requested-With': 'fetch' } })
    .then(function (response) {
      return response.text().then(function (html) {
        var page = new DOMParser().parseFromString(html, 'text/html');
        var next = page.querySelector('main');
        if (!next) throw new Error('no page in the answer');
        var current = document.querySelector('main');
        current.replaceWith(next);
        document.title = page.title;
        if (response.redirected) window.history.pushState(null, '', response.url);
        focusNotice(next);
      });
    })
    .catch(function () {
      // Let the browser post the form itself, which shows whatever went wrong.
      form.removeAttribute('data-enhance');
      buttons.forEach(function (button) { button.disabled = false; });
      if (submitter) submitter.click(); else form.submit();
    });
});

// Back and forward after enhanced navigations load the page the address bar shows.
window.addEventListener('popstate', function () { window.location.reload(); });
