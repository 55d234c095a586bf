// Aligned stores side by side (/align.html?stores=a,b&policy=hold[&frame=N]): GET /align for the
// aligned frame numbers, a slider over them (starting at the row of frame N, else the first),
// GET /align/frames/{n} (PNG, stores left to right) per position. The store viewer links here with
// its store pre-filled; "add a store" appends another (ids offered from GET /stores).

import { getJson, listStores } from './api.js';
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

function addStore() {
  const id = $('align-add').value.trim();
  if (!id) return;
  const ids = $('align-stores').value.split(',').map((x) => x.trim()).filter((x) => x);
  if (!ids.includes(id)) ids.push(id);
  $('align-stores').value = ids.join(',');
  $('align-add').value = '';
}

async function offerStores() {
  try {
    const list = $('align-store-list');
    for (const s of await listStores()) list.append(new Option(s.path || s.id, s.id));
  } catch (e) {
    // the list is a convenience: ids can still be typed
  }
}

async function align(frame) {
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
  let row = 0;
  if (frame != null) { // the first aligned number at or after the requested frame (else the last)
    row = alignment.frame_number.findIndex((n) => n >= frame);
    if (row < 0) row = Math.max(0, alignment.count - 1);
  }
  slider.value = String(row);
  slider.disabled = alignment.count === 0;
  history.replaceState(null, '', `?${query()}`);
  if (alignment.count > 0) showRow(row);
}

const params = new URLSearchParams(window.location.search);
$('align-stores').value = params.get('stores') || '';
$('align-policy').value = params.get('policy') || 'drop';
// aligning again (stores or policy changed) stays at the frame number shown
const shownFrame = () => (alignment && alignment.count > 0 ? alignment.frame_number[Number($('align-slider').value)] : null);
$('align-form').addEventListener('submit', (e) => { e.preventDefault(); addStore(); align(shownFrame()); });
$('align-add-button').addEventListener('click', addStore);
$('align-add').addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); addStore(); } });
offerStores();
$('align-slider').addEventListener('input', (e) => showRow(Number(e.target.value)));
const startFrame = params.get('frame') != null && params.get('frame') !== '' ? Number(params.get('frame')) : null;
if (params.get('stores')) align(Number.isFinite(startFrame) ? startFrame : null);
