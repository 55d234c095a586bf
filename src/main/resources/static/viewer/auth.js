// Access token for servers that protect reads (imgstore.security.protect-reads): kept for the
// browser session only, sent as a bearer token (as ?access_token= on WebSockets, which cannot
// carry headers), asked for in the page when the server answers 401.

import { h } from './format.js';

const KEY = 'imgstore.token';

export function token() {
  try { return sessionStorage.getItem(KEY) || null; } catch (_) { return null; }
}

export function setToken(t) {
  try {
    if (t) sessionStorage.setItem(KEY, t); else sessionStorage.removeItem(KEY);
  } catch (_) { /* storage disabled: the token lasts until the page is left */ }
}

export function authHeaders() {
  const t = token();
  return t ? { Authorization: `Bearer ${t}` } : {};
}

/** A WebSocket URL with the token as a query parameter, when there is one. */
export function withAccessToken(url) {
  const t = token();
  return t ? `${url}${url.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(t)}` : url;
}

/** An inline form (in the error banner area) asking for the token; reloads the page once given. */
export function askForToken() {
  if (document.getElementById('token-form')) {
    document.getElementById('token-input').focus();
    return;
  }
  const input = h('input', { id: 'token-input', type: 'password', placeholder: 'access token', autocomplete: 'off', size: 32 });
  const form = h('form', { id: 'token-form', class: 'error warn token-form' },
    h('span', { class: 'msg' }, token() ? 'The access token was refused. Enter another:' : 'This server needs an access token to show its stores:'),
    input,
    h('button', { type: 'submit' }, 'Use token'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    setToken(input.value.trim());
    window.location.reload();
  });
  document.getElementById('errors').prepend(form);
  input.focus();
}
