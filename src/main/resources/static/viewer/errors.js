// Errors shown in the page (never a blank screen): a banner list at the top, one entry per key so
// a repeated failure updates its line instead of stacking copies.

import { h } from './format.js';
import { askForToken } from './auth.js';

const box = () => document.getElementById('errors');
const shown = new Map();

/** A user-facing sentence for an error from the API or the browser. */
export function describe(err) {
  if (!err) return 'Unknown error';
  if (err.status === 0) return 'The server cannot be reached. Is it still running?';
  if (err.status === 401) return 'This server needs an access token.';
  if (err.status === 503 || err.status === 429) return 'The server is busy; retrying shortly…';
  const text = err.detail || err.message || String(err);
  if (err.status) return `${err.title && err.title !== text ? `${err.title}: ` : ''}${text}`;
  return text;
}

/**
 * Shows (or updates) a banner. `key` groups repeats; `level` is 'error' or 'warn';
 * `action` is an optional {label, run} button.
 */
export function showError(key, err, { level = 'error', action = null } = {}) {
  if (err && err.status === 401) {
    askForToken();
    return;
  }
  const message = typeof err === 'string' ? err : describe(err);
  let entry = shown.get(key);
  if (!entry) {
    const msg = h('span', { class: 'msg' });
    const close = h('button', { class: 'close', type: 'button', title: 'Dismiss', onclick: () => clearError(key) }, '×');
    const el = h('div', { class: `error ${level}`, dataset: { key } }, msg, close);
    entry = { el, msg, actionEl: null };
    shown.set(key, entry);
    box().append(el);
  }
  entry.el.className = `error ${level}`;
  entry.msg.textContent = message;
  if (entry.actionEl) entry.actionEl.remove();
  entry.actionEl = null;
  if (action) {
    entry.actionEl = h('button', { type: 'button', onclick: () => { clearError(key); action.run(); } }, action.label);
    entry.el.insertBefore(entry.actionEl, entry.el.lastChild);
  }
}

export function clearError(key) {
  const entry = shown.get(key);
  if (entry) {
    entry.el.remove();
    shown.delete(key);
  }
}

export function clearAll() {
  for (const key of [...shown.keys()]) clearError(key);
}

/** Anything thrown and not caught still reaches the page. */
export function installGlobalHandlers() {
  window.addEventListener('error', (e) => showError('uncaught', `Viewer error: ${e.message}`));
  window.addEventListener('unhandledrejection', (e) => {
    const r = e.reason;
    if (r && r.name === 'AbortError') return;
    showError('uncaught', r && r.status != null ? r : `Viewer error: ${r && r.message ? r.message : r}`);
  });
}
