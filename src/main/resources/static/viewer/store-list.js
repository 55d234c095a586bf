// The list of stores under the root, nested by folder, with a text filter.

import { listStores, getStore, frameUrl, fetchImageUrl } from './api.js';
import { h, clear, formatCount, formatDuration, formatShape } from './format.js';
import { formatDate, resolveZone } from './timefmt.js';
import { showError, clearError } from './errors.js';

/** created_utc as epoch seconds ("2024-05-01T11:00:00.123456" is UTC even without a Z). */
export function createdSeconds(s) {
  if (s == null) return null;
  if (typeof s === 'number') return s;
  const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`;
  const ms = Date.parse(iso.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(ms) ? null : ms / 1000;
}

/** A store is live while a writer holds it open (`writing` in the read API, `live` in ingest's). */
export const isLive = (s) => Boolean(s && (s.writing || s.live));

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/**
 * One list entry from a list item (metadata.yaml only) and, once fetched, the store's summary
 * (frame count, times, timezone).
 */
export function normalize(s, summary = null) {
  const m = { ...s, ...(summary || {}) };
  const tmin = m.frame_time_min;
  const tmax = m.frame_time_max;
  return {
    id: s.id,
    path: s.path || s.id,
    format: m.format || m.class || '?',
    shape: m.image_shape || m.imgshape || null,
    dtype: m.imgdtype || null,
    frames: summary ? m.frame_count ?? null : undefined,
    duration: summary ? (tmin != null && tmax != null ? tmax - tmin : null) : undefined,
    // when the first frame was recorded; created_utc until the summary is here (or for empty stores)
    recorded: tmin ?? createdSeconds(m.created_utc) ?? null,
    zone: m.timezone_local ? resolveZone(m.timezone_local) : browserZone,
    live: isLive(m),
    error: s.error || null,
  };
}

const SUMMARY_CONCURRENCY = 2;
const LIVE_REFRESH_MS = 2000;

/** Folder tree: {folders: Map<name, node>, stores: []}. */
function buildTree(entries) {
  const root = { name: '', path: '', folders: new Map(), stores: [] };
  for (const e of entries) {
    const segs = e.path.split('/');
    let node = root;
    for (const seg of segs.slice(0, -1)) {
      if (!node.folders.has(seg)) {
        node.folders.set(seg, { name: seg, path: node.path ? `${node.path}/${seg}` : seg, folders: new Map(), stores: [] });
      }
      node = node.folders.get(seg);
    }
    node.stores.push(e);
  }
  return root;
}

function matches(e, words) {
  if (!words.length) return true;
  const hay = [e.path, e.format, e.dtype, formatShape(e.shape), e.live ? 'live' : '',
    e.recorded != null ? formatDate(e.recorded, e.zone) : ''].join(' ').toLowerCase();
  return words.every((w) => hay.includes(w));
}

export class StoreList {
  constructor({ onOpen }) {
    this.onOpen = onOpen;
    this.tbody = document.querySelector('#store-table tbody');
    this.filter = document.getElementById('filter');
    this.count = document.getElementById('list-count');
    this.empty = document.getElementById('list-empty');
    this.collapsed = new Set();
    this.items = [];
    this.entries = [];
    this.summaries = new Map(); // id -> summary | {error}
    this.thumbs = new Map(); // id -> object URL of a small preview of the first frame
    this.wanted = [];
    this.fetching = 0;
    this.observer = new IntersectionObserver((seen) => this.onVisible(seen), { root: document.querySelector('.table-wrap'), rootMargin: '200px' });
    this.filter.addEventListener('input', () => this.render());
    document.getElementById('refresh-list').addEventListener('click', () => this.load());
    // live stores grow: their rows' summaries are fetched again while the list is shown
    setInterval(() => this.refreshLive(), LIVE_REFRESH_MS);
  }

  async load() {
    this.count.textContent = 'loading…';
    try {
      this.items = await listStores();
      this.summaries.clear();
      for (const url of this.thumbs.values()) URL.revokeObjectURL(url);
      this.thumbs.clear();
      this.entries = this.items.map((s) => normalize(s));
      clearError('list');
    } catch (err) {
      this.count.textContent = '';
      showError('list', err, { action: { label: 'Retry', run: () => this.load() } });
      return;
    }
    this.render();
  }

  render() {
    const words = this.filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const visible = this.entries.filter((e) => matches(e, words));
    this.count.textContent = words.length
      ? `${visible.length} of ${this.entries.length} stores`
      : `${this.entries.length} store${this.entries.length === 1 ? '' : 's'}`;
    this.empty.hidden = this.entries.length > 0;
    this.observer.disconnect();
    this.wanted = [];
    clear(this.tbody);
    const rows = [];
    this.addNode(buildTree(visible), 0, rows, words.length > 0);
    this.tbody.append(...rows);
    for (const r of rows) if (r.dataset.id && !this.summaries.has(r.dataset.id)) this.observer.observe(r);
  }

  // frame count, duration and timezone need the store opened: fetched for the rows in view only

  onVisible(seen) {
    for (const e of seen) {
      if (!e.isIntersecting) continue;
      this.observer.unobserve(e.target);
      const id = e.target.dataset.id;
      if (!this.summaries.has(id) && !this.wanted.includes(id)) this.wanted.push(id);
    }
    this.pumpSummaries();
  }

  pumpSummaries() {
    while (this.fetching < SUMMARY_CONCURRENCY && this.wanted.length) {
      const id = this.wanted.shift();
      if (this.summaries.has(id)) continue;
      this.fetching++;
      this.summaries.set(id, null);
      // the summary, then (in the same slot: at most SUMMARY_CONCURRENCY requests in flight) a thumbnail
      getStore(id).then((sum) => this.summaries.set(id, sum), (err) => this.summaries.set(id, { error: err }))
        .then(() => { this.fillRow(id); return this.loadThumb(id); })
        .finally(() => { this.fetching--; this.pumpSummaries(); });
    }
  }

  /** A preview of the first frame (none for empty or unreadable stores); failures leave the box empty. */
  async loadThumb(id) {
    const sum = this.summaries.get(id);
    if (!sum || sum.error || !(sum.frame_count > 0) || this.thumbs.has(id)) return;
    try {
      const url = await fetchImageUrl(frameUrl(id, 'index', 0, { format: 'jpeg', height: 40 }));
      if (this.summaries.get(id) !== sum) { URL.revokeObjectURL(url); return; } // list reloaded meanwhile
      this.thumbs.set(id, url);
      this.fillRow(id);
    } catch (_) { /* no preview */ }
  }

  /** The latest summary of a store (e.g. a live one the player refreshed): the list row shows the same. */
  noteSummary(id, sum) {
    if (!this.summaries.has(id)) return;
    this.summaries.set(id, sum);
    this.fillRow(id);
  }

  refreshLive() {
    if (document.getElementById('list-view').hidden) return;
    for (const e of this.entries) {
      const sum = this.summaries.get(e.id);
      if (!e.live || !sum || sum.error || this.wanted.includes(e.id)) continue;
      if (!this.tbody.querySelector(`tr.store[data-id="${CSS.escape(e.id)}"]`)) continue;
      this.summaries.delete(e.id);
      this.wanted.push(e.id);
    }
    this.pumpSummaries();
  }

  fillRow(id) {
    const sum = this.summaries.get(id);
    const i = this.entries.findIndex((e) => e.id === id);
    if (i < 0 || !sum) return;
    const item = this.items.find((s) => s.id === id);
    const entry = sum.error ? { ...this.entries[i], frames: null, duration: null, summaryError: sum.error }
      : normalize(item, sum);
    this.entries[i] = entry;
    const row = this.tbody.querySelector(`tr.store[data-id="${CSS.escape(id)}"]`);
    if (row) row.replaceWith(this.storeRow(entry, Number(row.dataset.depth)));
  }

  addNode(node, depth, rows, expandAll) {
    const folders = [...node.folders.values()].sort((a, b) => a.name.localeCompare(b.name));
    for (const f of folders) {
      const open = expandAll || !this.collapsed.has(f.path);
      const n = countStores(f);
      rows.push(h('tr', {
        class: 'folder', dataset: { folder: f.path },
        onclick: () => { if (this.collapsed.has(f.path)) this.collapsed.delete(f.path); else this.collapsed.add(f.path); this.render(); },
      }, h('td', { colspan: 7, style: `padding-left:${10 + depth * 18}px` },
        h('span', { class: 'twisty' }, open ? '▾' : '▸'), `${f.name}/`, h('span', { class: 'muted' }, `  ${n}`))));
      if (open) this.addNode(f, depth + 1, rows, expandAll);
    }
    for (const e of node.stores) rows.push(this.storeRow(e, depth));
  }

  storeRow(e, depth) {
    const name = e.path.split('/').pop();
    const size = [formatShape(e.shape), e.dtype && e.dtype !== 'uint8' ? e.dtype : null].filter(Boolean).join(' ');
    const pending = (v, f) => (v === undefined ? h('span', { class: 'muted' }, '…') : f(v));
    return h('tr', {
      class: `store${e.error ? ' broken' : ''}`, dataset: { id: e.id, path: e.path, depth }, tabindex: 0,
      title: e.error ? `Unreadable: ${e.error}` : e.summaryError ? `Cannot open: ${e.summaryError.message}` : `Open ${e.path}`,
      onclick: () => this.onOpen(e.id),
      onkeydown: (ev) => { if (ev.key === 'Enter') this.onOpen(e.id); },
    },
    h('td', { class: 'thumb' }, h('span', { class: 'thumb-box' }, this.thumbs.has(e.id)
      ? h('img', { src: this.thumbs.get(e.id), alt: `first frame of ${name}` }) : null)),
    h('td', { class: 'name', style: `padding-left:${10 + depth * 18 + 14}px` },
      h('a', { href: `/?store=${encodeURIComponent(e.id)}`, onclick: (ev) => { ev.preventDefault(); } }, name),
      e.live ? h('span', { class: 'badge live', title: 'being recorded' }, 'LIVE') : null,
      e.error ? h('span', { class: 'badge err' }, 'unreadable') : null),
    h('td', {}, e.format),
    h('td', {}, size),
    h('td', { class: 'num frames' }, pending(e.frames, formatCount)),
    h('td', { class: 'num duration' }, pending(e.duration, formatDuration)),
    h('td', {}, e.recorded != null ? formatDate(e.recorded, e.zone) : '–'));
  }
}

function countStores(node) {
  let n = node.stores.length;
  for (const f of node.folders.values()) n += countStores(f);
  return n;
}
