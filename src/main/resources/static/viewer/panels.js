// Side panels: store and user metadata, and the frame metadata table (paged).

import { getMetadata, getFrameMetadata } from './api.js';
import { h, clear, formatCount, formatDuration, formatShape } from './format.js';
import { formatFrameTime } from './timefmt.js';
import { describe } from './errors.js';
import { createdSeconds } from './store-list.js';

function valueCell(v) {
  if (v == null) return h('span', { class: 'muted' }, '–');
  if (typeof v === 'object') {
    const flat = JSON.stringify(v);
    return flat.length <= 48 ? flat.replace(/,/g, ', ') : h('pre', {}, JSON.stringify(v, null, 1));
  }
  return String(v);
}

function kvTable(rows) {
  return h('table', { class: 'kv' }, h('tbody', {},
    rows.filter(([, v]) => v !== undefined).map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, valueCell(v))))));
}

/** Store summary and metadata.yaml contents. */
export class InfoPanel {
  constructor() {
    this.el = document.getElementById('tab-info');
  }

  clear() {
    clear(this.el);
    this.summary = null;
  }

  /** Refreshes the summary table only (a live store grew, or stopped being written). */
  update(store) {
    if (!this.summary) return;
    const table = kvTable(summaryRows(store));
    this.summary.replaceWith(table);
    this.summary = table;
  }

  async show(store) {
    clear(this.el);
    this.summary = kvTable(summaryRows(store));
    this.el.append(h('h3', {}, 'Store'), this.summary);
    const meta = h('div', {}, h('p', { class: 'muted' }, 'loading metadata…'));
    this.el.append(meta);
    try {
      const md = await getMetadata(store.id);
      clear(meta);
      const user = md.user || {};
      meta.append(h('h3', {}, 'User metadata'),
        Object.keys(user).length ? kvTable(Object.entries(user)) : h('p', { class: 'muted' }, 'none'));
      meta.append(h('h3', {}, 'Store metadata (__store)'), kvTable(Object.entries(md.store || {})));
    } catch (err) {
      clear(meta);
      meta.append(h('p', { class: 'error' }, `Metadata unavailable: ${describe(err)}`));
    }
  }
}

function summaryRows(s) {
  const zone = s.zone;
  const created = createdSeconds(s.created_utc);
  return [
    ['path', s.path],
    ['format', s.format],
    ['class', s.class],
    ['encoding', s.encoding || undefined],
    ['image', `${formatShape(s.image_shape)} ${s.imgdtype || ''}`.trim()],
    ['lossless', s.lossless],
    ['chunk size', s.chunksize],
    ['chunks', Array.isArray(s.chunks) ? s.chunks.length : s.chunks],
    ['frames', formatCount(s.frame_count)],
    ['frame numbers', s.frame_min != null ? `${s.frame_min} … ${s.frame_max}` : undefined],
    ['first frame', s.frame_time_min != null ? formatFrameTime(s.frame_time_min, zone) : undefined],
    ['last frame', s.frame_time_max != null ? formatFrameTime(s.frame_time_max, zone) : undefined],
    ['duration', s.frame_time_min != null ? formatDuration(s.frame_time_max - s.frame_time_min) : undefined],
    ['created', created != null ? formatFrameTime(created, zone) : s.created_utc],
    ['timezone', s.timezone_local || 'UTC (not recorded)'],
    ['uuid', s.uuid],
    ['extra data', s.has_extra_data ? 'yes' : 'no'],
    ['recording', s.live ? 'LIVE (being written)' : undefined],
  ];
}

const PAGE = 100;
const RELOAD_MS = 10000;

/** frame_index / frame_number / frame_time, PAGE rows at a time; click a row to go there. */
export class FramesPanel {
  constructor({ onPick }) {
    this.el = document.getElementById('tab-frames');
    this.onPick = onPick;
    this.store = null;
    this.md = null;
    this.page = 0;
    this.current = null;
    this.loading = null;
    this.stale = false;
    this.loadedAt = 0;
  }

  reset(store) {
    this.store = store;
    this.md = null;
    this.current = null;
    this.page = 0;
    this.loading = null;
    clear(this.el);
  }

  /** The store grew (live): reload when next shown. */
  markStale() { this.stale = true; }

  async activate() {
    if (!this.store) return;
    // a live store's table is reloaded at most every RELOAD_MS (it can be long)
    if (!this.md || (this.stale && Date.now() - this.loadedAt > RELOAD_MS)) await this.load();
    this.render();
  }

  async load() {
    const store = this.store;
    this.stale = false;
    this.loadedAt = Date.now();
    if (!this.md) {
      clear(this.el);
      this.el.append(h('p', { class: 'muted' }, 'loading frame metadata…'));
    }
    try {
      this.loading = getFrameMetadata(store.id);
      const md = await this.loading;
      if (store !== this.store) return;
      this.md = md;
      if (this.current != null) this.page = Math.floor(this.current / PAGE);
    } catch (err) {
      if (store !== this.store) return;
      clear(this.el);
      this.el.append(h('p', { class: 'error' }, `Frame metadata unavailable: ${describe(err)}`));
    }
  }

  get rows() { return this.md ? (this.md.frame_number || []).length : 0; }

  /** Keeps the current frame highlighted (and its page shown) when the table is visible. */
  setCurrent(index, visible) {
    this.current = index;
    if (!this.md || index == null) return;
    const page = Math.floor(index / PAGE);
    if (page !== this.page) {
      this.page = page;
      if (visible) this.render();
      return;
    }
    if (visible) {
      for (const tr of this.el.querySelectorAll('tr.current')) tr.classList.remove('current');
      const tr = this.el.querySelector(`tr[data-index="${index}"]`);
      if (tr) tr.classList.add('current');
    }
  }

  render() {
    if (!this.md) return;
    const md = this.md;
    const n = this.rows;
    const pages = Math.max(1, Math.ceil(n / PAGE));
    this.page = Math.min(this.page, pages - 1);
    const start = this.page * PAGE;
    const end = Math.min(n, start + PAGE);
    const zone = this.store.zone;
    const go = (p) => { this.page = Math.max(0, Math.min(pages - 1, p)); this.render(); };
    const pager = h('div', { class: 'pager' },
      h('button', { type: 'button', onclick: () => go(0), disabled: this.page === 0 }, '«'),
      h('button', { type: 'button', onclick: () => go(this.page - 1), disabled: this.page === 0 }, '‹'),
      h('span', {}, `${formatCount(n ? start : 0)}–${formatCount(Math.max(start, end - 1))} of ${formatCount(n)}`),
      h('button', { type: 'button', onclick: () => go(this.page + 1), disabled: this.page >= pages - 1 }, '›'),
      h('button', { type: 'button', onclick: () => go(pages - 1), disabled: this.page >= pages - 1 }, '»'),
      h('span', { class: 'spacer' }),
      h('button', {
        type: 'button', title: 'Page of the current frame',
        onclick: () => { if (this.current != null) go(Math.floor(this.current / PAGE)); },
      }, 'current'));
    const body = h('tbody');
    for (let i = start; i < end; i++) {
      const t = md.frame_time[i];
      const prev = i > 0 ? md.frame_time[i - 1] : null;
      body.append(h('tr', {
        class: i === this.current ? 'current' : null, dataset: { index: i },
        onclick: () => this.onPick(i),
      },
      h('td', {}, md.frame_index ? md.frame_index[i] : i),
      h('td', {}, md.frame_number[i]),
      h('td', { title: String(t) }, formatFrameTime(t, zone, { withZone: false }).slice(11)),
      h('td', {}, prev != null ? ((t - prev) * 1000).toFixed(1) : '')));
    }
    clear(this.el);
    this.el.append(pager, h('table', { class: 'frames-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'index'), h('th', {}, 'number'), h('th', {}, 'time'), h('th', {}, 'Δt ms'))),
      body));
  }
}
