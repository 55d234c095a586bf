// Extra data (imgstore's add_extra_data records) plotted over time with uPlot: one line per
// numeric column, a cursor line at the current frame, click to jump to the nearest record's frame.

import uPlot from '/webjars/uplot/dist/uPlot.esm.js';
import { getExtraData } from './api.js';
import { h, clear } from './format.js';
import { describe } from './errors.js';

const RESERVED = new Set(['frame_number', 'frame_time', 'frame_index']);
const PALETTE = ['#5aa9e6', '#f0b429', '#3fb950', '#e5484d', '#b48ead', '#56d4dd', '#ff8c42', '#c3e88d', '#f78c6c', '#89ddff'];

/** Columns, x values and one y array per numeric column, sorted by time. */
export function toSeries(records) {
  const rows = records.filter((r) => r && Number.isFinite(Number(r.frame_time)))
    .sort((a, b) => a.frame_time - b.frame_time);
  const cols = [];
  const seen = new Set();
  for (const r of rows) {
    for (const [k, v] of Object.entries(r)) {
      if (RESERVED.has(k) || seen.has(k)) continue;
      if (typeof v === 'number' || typeof v === 'boolean') { seen.add(k); cols.push(k); }
    }
  }
  const x = rows.map((r) => Number(r.frame_time));
  const ys = cols.map((c) => rows.map((r) => {
    const v = r[c];
    if (typeof v === 'boolean') return v ? 1 : 0;
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  }));
  return { rows, cols, x, ys };
}

function nearest(xs, t) {
  let lo = 0;
  let hi = xs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < t) lo = mid + 1; else hi = mid;
  }
  if (lo > 0 && Math.abs(xs[lo - 1] - t) <= Math.abs(xs[lo] - t)) lo--;
  return lo;
}

export class ExtraPlot {
  constructor({ onPick }) {
    this.el = document.getElementById('tab-extra');
    this.onPick = onPick;
    this.store = null;
    this.plot = null;
    this.data = null;
    this.cursorTime = null;
    this.loaded = false;
    this.stale = false;
    window.addEventListener('resize', () => this.resize());
  }

  reset(store) {
    this.destroy();
    this.store = store;
    this.loaded = false;
    this.data = null;
    clear(this.el);
  }

  markStale() { this.stale = true; }

  destroy() {
    if (this.plot) this.plot.destroy();
    this.plot = null;
  }

  async activate() {
    if (!this.store) return;
    // a live store's records are reloaded at most every 10 s
    if (!this.loaded || (this.stale && Date.now() - this.loadedAt > 10000)) await this.load();
    this.resize();
  }

  async load() {
    const store = this.store;
    this.stale = false;
    this.loadedAt = Date.now();
    if (!store.has_extra_data) {
      this.loaded = true;
      clear(this.el);
      this.el.append(h('p', { class: 'muted' }, 'This store has no extra data.'));
      return;
    }
    if (!this.plot) {
      clear(this.el);
      this.el.append(h('p', { class: 'muted' }, 'loading extra data…'));
    }
    let records;
    try {
      records = await getExtraData(store.id);
    } catch (err) {
      if (store !== this.store) return;
      clear(this.el);
      this.el.append(h('p', { class: 'error' }, `Extra data unavailable: ${describe(err)}`));
      return;
    }
    if (store !== this.store) return;
    this.loaded = true;
    const data = toSeries(Array.isArray(records) ? records : (records.records || []));
    this.data = data;
    this.destroy();
    clear(this.el);
    if (!data.cols.length) {
      this.el.append(h('p', { class: 'muted' }, `${data.rows.length} extra-data records, none with numeric columns.`));
      return;
    }
    const holder = h('div', { class: 'plot', id: 'extra-plot' });
    this.el.append(holder, h('p', { class: 'muted plot-legend-note' },
      `${data.rows.length} records · ${data.cols.length} numeric column${data.cols.length > 1 ? 's' : ''} · click the plot to jump to that frame`));
    this.build(holder);
  }

  build(holder) {
    const { x, ys, cols } = this.data;
    const zone = this.store.zone;
    const self = this;
    const opts = {
      width: Math.max(200, holder.clientWidth || 340),
      height: 240,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), zone),
      scales: { x: { time: true } },
      axes: [
        { stroke: '#8d96a1', grid: { stroke: '#2a2f36' }, ticks: { stroke: '#2a2f36' } },
        { stroke: '#8d96a1', grid: { stroke: '#2a2f36' }, ticks: { stroke: '#2a2f36' }, size: 50 },
      ],
      cursor: { drag: { x: true, y: false }, points: { size: 5 } },
      legend: { live: true },
      series: [
        { label: 'time' },
        ...cols.map((c, i) => ({ label: c, stroke: PALETTE[i % PALETTE.length], width: 1.25, spanGaps: false, points: { show: false } })),
      ],
      hooks: {
        draw: [(u) => self.drawCursor(u)],
        ready: [(u) => {
          u.over.addEventListener('click', () => {
            if (u.cursor.left == null || u.cursor.left < 0) return;
            const t = u.posToVal(u.cursor.left, 'x');
            const r = self.data.rows[nearest(self.data.x, t)];
            if (r) self.onPick(r);
          });
        }],
      },
    };
    this.plot = new uPlot(opts, [x, ...ys], holder);
  }

  drawCursor(u) {
    const t = this.cursorTime;
    if (t == null || !Number.isFinite(t)) return;
    const { left, top, width, height } = u.bbox;
    const px = u.valToPos(t, 'x', true);
    if (px < left || px > left + width) return;
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = '#ffffff';
    ctx.globalAlpha = 0.8;
    ctx.lineWidth = Math.max(1, devicePixelRatio);
    ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
    ctx.beginPath();
    ctx.moveTo(Math.round(px) + 0.5, top);
    ctx.lineTo(Math.round(px) + 0.5, top + height);
    ctx.stroke();
    ctx.restore();
  }

  /** Moves the cursor line to the shown frame's time. */
  setCurrentTime(t) {
    if (t === this.cursorTime) return;
    this.cursorTime = t;
    if (this.plot && this.el.offsetParent !== null) this.plot.redraw(false, false);
  }

  resize() {
    if (!this.plot || this.el.offsetParent === null) return;
    const w = this.el.clientWidth - 24;
    if (w > 100 && Math.abs(w - this.plot.width) > 2) this.plot.setSize({ width: w, height: 240 });
    else this.plot.redraw(false, false);
  }
}
