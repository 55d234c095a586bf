// The list of stores under the root, nested by folder, with a text filter.

import { listStores } from './api.js';
import { h, clear, formatCount, formatDuration, formatShape, formatBytes } from './format.js';
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

/** One list entry, whatever optional fields the server filled in. */
export function normalize(s) {
  const tmin = s.frame_time_min;
  const tmax = s.frame_time_max;
  return {
    id: s.id,
    path: s.path || s.id,
    format: s.format || s.class || '?',
    shape: s.image_shape || s.imgshape || null,
    dtype: s.imgdtype || null,
    frames: s.frame_count ?? null,
    duration: s.duration ?? (tmin != null && tmax != null ? tmax - tmin : null),
    recorded: createdSeconds(s.created_utc) ?? tmin ?? null,
    zone: resolveZone(s.timezone_local),
    bytes: s.size_bytes ?? s.disk_bytes ?? s.bytes ?? null,
    live: Boolean(s.live),
    error: s.error || null,
  };
}

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
    this.entries = [];
    this.filter.addEventListener('input', () => this.render());
    document.getElementById('refresh-list').addEventListener('click', () => this.load());
  }

  async load() {
    this.count.textContent = 'loading…';
    try {
      const raw = await listStores();
      this.entries = raw.map(normalize);
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
    clear(this.tbody);
    const rows = [];
    this.addNode(buildTree(visible), 0, rows, words.length > 0);
    this.tbody.append(...rows);
  }

  addNode(node, depth, rows, expandAll) {
    const folders = [...node.folders.values()].sort((a, b) => a.name.localeCompare(b.name));
    for (const f of folders) {
      const open = expandAll || !this.collapsed.has(f.path);
      const n = countStores(f);
      rows.push(h('tr', {
        class: 'folder', dataset: { folder: f.path },
        onclick: () => { if (this.collapsed.has(f.path)) this.collapsed.delete(f.path); else this.collapsed.add(f.path); this.render(); },
      }, h('td', { colspan: 6, style: `padding-left:${10 + depth * 18}px` },
        h('span', { class: 'twisty' }, open ? '▾' : '▸'), `${f.name}/`, h('span', { class: 'muted' }, `  ${n}`))));
      if (open) this.addNode(f, depth + 1, rows, expandAll);
    }
    for (const e of node.stores) rows.push(this.storeRow(e, depth));
  }

  storeRow(e, depth) {
    const name = e.path.split('/').pop();
    const size = [formatShape(e.shape), e.dtype && e.dtype !== 'uint8' ? e.dtype : null, formatBytes(e.bytes)]
      .filter(Boolean).join(' · ');
    return h('tr', {
      class: `store${e.error ? ' broken' : ''}`, dataset: { id: e.id, path: e.path }, tabindex: 0,
      title: e.error ? `Unreadable: ${e.error}` : `Open ${e.path}`,
      onclick: () => this.onOpen(e.id),
      onkeydown: (ev) => { if (ev.key === 'Enter') this.onOpen(e.id); },
    },
    h('td', { class: 'name', style: `padding-left:${10 + depth * 18 + 14}px` },
      h('a', { href: `/?store=${encodeURIComponent(e.id)}`, onclick: (ev) => { ev.preventDefault(); } }, name),
      e.live ? h('span', { class: 'badge live', title: 'being recorded' }, 'LIVE') : null,
      e.error ? h('span', { class: 'badge err' }, 'unreadable') : null),
    h('td', {}, e.format),
    h('td', {}, size),
    h('td', { class: 'num' }, formatCount(e.frames)),
    h('td', { class: 'num' }, formatDuration(e.duration)),
    h('td', {}, e.recorded != null ? formatDate(e.recorded, e.zone) : '–'));
  }
}

function countStores(node) {
  let n = node.stores.length;
  for (const f of node.folders.values()) n += countStores(f);
  return n;
}
