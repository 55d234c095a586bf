// Aligned stores side by side (/align.html?stores=a,b&policy=hold): GET /align for the aligned
// frame numbers, a slider over them, GET /align/frames/{n} (PNG, stores left to right) per position.

import { getJson } from './api.js';
import { authHeaders } from './auth.js';

const $ = (id) => document.getElementById(id);
let alignment = null;
let shown = null;
let pending = null;

function query() {
  return `stores=${encodeURIComponent($('align-stores').value.trim())}&policy=${encodeURIComponent($('align-policy').value)}`;
}

async function showRow(r) {
  const n = alignment.frame_number[r];
  const cells = alignment.stores.map((s, k) => {
    const i = alignment.frame_index[k][r];
    const t = alignment.frame_time[k][r];
    return `${s}: ${i == null ? 'black' : `index ${i}`}${t == null && i != null ? ' (held)' : ''}`;
  });
  $('align-row').textContent = `frame ${n} — ${cells.join(' · ')}`;
  if (pending) pending.abort();
  pending = new AbortController();
  try {
    const res = await fetch(`/align/frames/${n}?${query()}`, { headers: { ...authHeaders(), Accept: 'image/png' }, signal: pending.signal });
    if (!res.ok) {
      $('align-status').textContent = `frame ${n}: ${res.status}`;
      return;
    }
    const url = URL.createObjectURL(await res.blob());
    if (shown) URL.revokeObjectURL(shown);
    shown = url;
    $('align-image').src = url;
  } catch (e) {
    if (e.name !== 'AbortError') $('align-status').textContent = e.message;
  }
}

async function align() {
  $('align-status').textContent = 'aligning…';
  try {
    alignment = await getJson(`/align?${query()}`);
  } catch (e) {
    $('align-status').textContent = e.detail || e.message;
    return;
  }
  const slider = $('align-slider');
  $('align-status').textContent = `${alignment.count} aligned frame numbers (${alignment.policy})`;
  slider.max = String(Math.max(0, alignment.count - 1));
  slider.value = '0';
  slider.disabled = alignment.count === 0;
  history.replaceState(null, '', `?${query()}`);
  if (alignment.count > 0) showRow(0);
}

const params = new URLSearchParams(window.location.search);
$('align-stores').value = params.get('stores') || '';
$('align-policy').value = params.get('policy') || 'drop';
$('align-form').addEventListener('submit', (e) => { e.preventDefault(); align(); });
$('align-slider').addEventListener('input', (e) => showRow(Number(e.target.value)));
if (params.get('stores')) align();
