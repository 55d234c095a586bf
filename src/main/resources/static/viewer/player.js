// The frame view of one store: canvas, status bar, slider, step/jump/play controls and keys.
// Frames are addressed by index (0 .. count-1); what is shown is reported to listeners, which
// keep the URL, the panels and the plot cursor in step.

import { FrameSource } from './frame-source.js';
import { fetchFrame } from './api.js';
import { formatFrameTime } from './timefmt.js';
import { formatCount, clamp } from './format.js';
import { showError, clearError } from './errors.js';
import { autoRangeRaw, autoRangeImage, renderRaw, renderImage } from './display-range.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const isAbort = (e) => e && e.name === 'AbortError';

/**
 * Exact pixels when still (PNG; raw npy for 16-bit stores); lighter JPEG (at most screen-sized)
 * while playing or dragging the slider.
 */
const STILL = {};
const RAW = { format: 'npy' };
const READ_AHEAD = 16;
const MAX_BUSY_RETRIES = 8;

export class Player {
  constructor() {
    this.canvas = document.getElementById('frame');
    this.ctx = this.canvas.getContext('2d', { willReadFrequently: true });
    this.stage = document.getElementById('stage');
    this.stageMsg = document.getElementById('stage-msg');
    this.slider = document.getElementById('slider');
    this.playBtn = document.getElementById('btn-play');
    this.speedSel = document.getElementById('speed');
    this.status = {
      bar: document.getElementById('status'),
      frame: document.getElementById('status-frame'),
      index: document.getElementById('status-index'),
      time: document.getElementById('status-time'),
      info: document.getElementById('status-info'),
    };
    this.listeners = [];
    this.store = null;
    this.source = null;
    this.count = 0;
    this.shown = null; // {number, index, time, format, width, height}
    this.seq = 0; // request sequence; a frame older than the one shown is never drawn
    this.shownSeq = 0;
    this.playing = false;
    this.playGen = 0;
    this.follow = false; // live: show the newest frame as it arrives
    this.onCount = () => {};
    // display range: [min, max] -> [0, 255]; 0..255 on 8-bit stores is the identity
    this.range = {
      min: document.getElementById('range-min'),
      max: document.getElementById('range-max'),
      auto: document.getElementById('btn-auto'),
      reset: document.getElementById('btn-range-reset'),
    };
    this.deep = false; // 16-bit store
    this.lo = 0;
    this.hi = 255;
    this.needsAuto = false;
    this.base = null; // what the shown frame is drawn from: {raw} | {image} (unmapped pixels)
    this.wire();
  }

  onFrame(fn) { this.listeners.push(fn); }

  wire() {
    this.slider.addEventListener('input', () => { this.userMoved(); this.seek(Number(this.slider.value), this.moving); });
    this.slider.addEventListener('change', () => this.seek(Number(this.slider.value), STILL));
    this.playBtn.addEventListener('click', () => this.toggle());
    document.getElementById('btn-first').addEventListener('click', () => { this.userMoved(); this.seek(0); });
    document.getElementById('btn-last').addEventListener('click', () => { this.userMoved(); this.seek(this.count - 1); });
    document.getElementById('btn-prev').addEventListener('click', () => this.step(-1));
    document.getElementById('btn-next').addEventListener('click', () => this.step(1));
    this.speedSel.addEventListener('change', () => { this.speedSel.blur(); });
    const typed = () => this.setRange(Number(this.range.min.value), Number(this.range.max.value));
    this.range.min.addEventListener('change', typed);
    this.range.max.addEventListener('change', typed);
    this.range.auto.addEventListener('click', () => this.autoRange());
    this.range.reset.addEventListener('click', () => this.setRange(0, this.maxValue));
    // clicked buttons do not keep the focus, so that Space keeps meaning play/pause
    for (const b of document.querySelectorAll('.controls button, .tabs button')) {
      b.addEventListener('mousedown', (e) => e.preventDefault());
    }
    document.addEventListener('keydown', (e) => this.onKey(e));
  }

  onKey(e) {
    if (!this.store || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t && (t.tagName === 'INPUT' && t.type !== 'range' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return;
    if (t && t.tagName === 'BUTTON' && (e.key === ' ' || e.key === 'Enter')) return; // reached by Tab: press it
    let handled = true;
    switch (e.key) {
      case ' ': this.toggle(); break;
      case 'ArrowRight': this.step(e.shiftKey ? 10 : 1); break;
      case 'ArrowLeft': this.step(e.shiftKey ? -10 : -1); break;
      case 'PageDown': this.step(100); break;
      case 'PageUp': this.step(-100); break;
      case 'Home': this.userMoved(); this.seek(0); break;
      case 'End': this.userMoved(); this.seek(this.count - 1); break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
  }

  get speed() { return Number(this.speedSel.value); }

  /** What a still frame is fetched as: raw npy for 16-bit stores (all bits), else PNG. */
  get still() { return this.deep ? RAW : STILL; }

  get maxValue() { return this.deep ? 65535 : 255; }

  // ---- display range ----

  get identity() { return !this.deep && this.lo === 0 && this.hi === 255; }

  /** Sets the display range (clamped, min < max) and redraws the shown frame. */
  setRange(min, max) {
    const top = this.maxValue;
    let lo = Number.isFinite(min) ? clamp(Math.round(min), 0, top - 1) : 0;
    let hi = Number.isFinite(max) ? clamp(Math.round(max), 1, top) : top;
    if (hi <= lo) { if (lo < top) hi = lo + 1; else lo = hi - 1; }
    this.lo = lo;
    this.hi = hi;
    this.needsAuto = false;
    this.renderRangeInputs();
    this.redraw();
  }

  /** Auto contrast: 0.5 % / 99.5 % percentiles of the shown frame. */
  autoRange() {
    const base = this.baseOfShown();
    if (!base) { this.needsAuto = true; return; }
    let r;
    if (base.raw) r = autoRangeRaw(base.raw);
    else {
      r = autoRangeImage(base.image);
      if (this.deep) r = { min: r.min * 257, max: r.max * 257 }; // a JPEG/PNG preview carries the high byte
    }
    this.setRange(r.min, r.max);
  }

  renderRangeInputs() {
    for (const el of [this.range.min, this.range.max]) el.max = String(this.maxValue);
    this.range.min.value = String(this.lo);
    this.range.max.value = String(this.hi);
    this.range.min.closest('.range').dataset.range = `${this.lo}-${this.hi}`;
  }

  /** The unmapped pixels of the shown frame (read from the canvas while the range is the identity). */
  baseOfShown() {
    if (!this.shown) return null;
    if (!this.base) this.base = { image: this.ctx.getImageData(0, 0, this.canvas.width, this.canvas.height) };
    return this.base;
  }

  redraw() {
    if (!this.shown) return;
    const base = this.baseOfShown();
    this.paint(base);
  }

  /** Draws `base` through the display range. */
  paint(base) {
    if (base.raw) {
      this.ctx.putImageData(renderRaw(base.raw, this.lo, this.hi), 0, 0);
    } else if (this.identity) {
      this.ctx.putImageData(base.image, 0, 0);
    } else {
      // 16-bit stores' JPEG previews hold the high byte
      const k = this.deep ? 257 : 1;
      this.ctx.putImageData(renderImage(base.image, this.lo / k, this.hi / k), 0, 0);
    }
  }

  /**
   * What to fetch while frames move: JPEG, and for frames much larger than the stage a
   * server-side thumbnail (width in steps of 64 px so that read-ahead hits the cache).
   */
  get moving() {
    const shape = this.store && this.store.image_shape;
    const native = Array.isArray(shape) ? shape[1] : 0;
    const want = Math.ceil((this.stage.clientWidth * (window.devicePixelRatio || 1)) / 64) * 64;
    return native && want > 0 && native > want * 1.25 ? { format: 'jpeg', width: want } : { format: 'jpeg' };
  }

  /** Opens a store (its summary); shows nothing until seek/showLive. */
  open(store) {
    this.close();
    this.store = store;
    this.source = new FrameSource(store.id);
    this.deep = store.imgdtype === 'uint16';
    this.lo = 0;
    this.hi = this.maxValue;
    this.needsAuto = this.deep; // 16-bit: auto contrast on the first frame
    this.renderRangeInputs();
    this.setCount(store.frame_count || 0);
    this.setMessage(store.frame_count ? null : 'This store has no frames yet.');
  }

  close() {
    this.pause();
    this.shownSeq = ++this.seq; // a frame of this store still on its way is never drawn
    if (this.source) this.source.close();
    this.source = null;
    this.store = null;
    this.shown = null;
    this.base = null;
    this.count = 0;
    this.follow = false;
    this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.renderStatus(null);
  }

  setCount(n) {
    if (n === this.count) return;
    this.count = n;
    this.slider.max = String(Math.max(0, n - 1));
    this.slider.disabled = n <= 1;
    if (this.shown) this.renderStatus(this.shown);
    this.onCount(n);
  }

  setMessage(text, { error = false } = {}) {
    this.stageMsg.hidden = !text;
    this.stageMsg.textContent = text || '';
    this.stageMsg.classList.toggle('error', error);
  }

  /** The user took the controls: stop following the live feed. */
  userMoved() {
    if (this.follow) this.setFollow(false);
  }

  setFollow(on) {
    this.follow = on;
    for (const fn of this.listeners) fn(this.shown, { followChanged: true });
  }

  step(delta) {
    if (!this.store || !this.count) return;
    this.userMoved();
    if (this.playing) this.pause();
    const from = this.shown ? this.shown.index : 0;
    this.seek(clamp(from + delta, 0, this.count - 1));
  }

  /** Shows the frame at `index`; resolves when drawn (or superseded). */
  async seek(index, opts = STILL) {
    if (!this.source || !this.count) return;
    if (opts === STILL) opts = this.still;
    index = clamp(Math.round(index), 0, this.count - 1);
    const seq = ++this.seq;
    this.slider.value = String(index);
    const frame = await this.fetchRetrying(seq, () => this.source.get(index, opts), `frame index ${index}`);
    if (frame && seq > this.shownSeq && this.source) {
      this.display(frame, seq);
      this.readAround(index);
    }
  }

  /**
   * Jumps to a frame by number, time or to the newest ('number' | 'time' | 'latest'); the server
   * finds its index. Jumping to 'latest' keeps following a live store.
   */
  async jump(by, key) {
    if (!this.store) return;
    if (by !== 'latest') this.userMoved();
    if (this.playing) this.pause();
    const seq = ++this.seq;
    const store = this.store;
    const what = { number: `frame number ${key}`, time: `frame at time ${key}`, latest: 'frame yet' }[by];
    const frame = await this.fetchRetrying(seq, () => fetchFrame(store.id, by, key, this.still), what);
    if (!frame) return;
    if (seq < this.seq || this.store !== store) { frame.bitmap.close(); return; }
    if (frame.index != null && frame.index >= this.count) this.setCount(frame.index + 1);
    this.display(frame, seq);
    if (frame.index != null) this.readAround(frame.index);
  }

  /**
   * Runs a frame fetch, waiting and retrying while the server is busy (503/429 + Retry-After);
   * null when it failed (error shown), was aborted or was superseded by a newer request.
   */
  async fetchRetrying(seq, fetchIt, what) {
    for (let attempt = 0; ; attempt++) {
      try {
        const frame = await fetchIt();
        clearError('frame');
        return frame;
      } catch (err) {
        if (isAbort(err) || seq !== this.seq) return null;
        if (err.busy && attempt < MAX_BUSY_RETRIES) {
          showError('frame', err, { level: 'warn' });
          await sleep(1000 * (err.retryAfter || 1));
          if (seq !== this.seq) return null;
          continue;
        }
        this.frameError(err, what);
        return null;
      }
    }
  }

  frameError(err, what) {
    if (err.storeGone) {
      this.pause();
      this.setMessage('This store is gone: it was deleted or moved.', { error: true });
      showError('frame', err);
      return;
    }
    if (err.notFound) {
      if (what === 'frame yet') { this.setMessage('Waiting for the first frame…'); return; }
      showError('frame', `No ${what} in this store${err.detail ? ` (${err.detail})` : ''}.`);
      return;
    }
    showError('frame', err);
  }

  /** Read-ahead around a still frame, so that stepping is instant. */
  readAround(index) {
    if (this.playing || !this.source) return;
    const want = [index + 1, index + 2, index + 3, index - 1].filter((i) => i >= 0 && i < this.count);
    this.source.prefetch(want, this.still);
  }

  display(frame, seq) {
    this.shownSeq = seq;
    const { bitmap } = frame;
    try {
      if (this.canvas.width !== bitmap.width || this.canvas.height !== bitmap.height) {
        this.canvas.width = bitmap.width;
        this.canvas.height = bitmap.height;
      }
      if (frame.raw) {
        if (this.needsAuto) {
          const r = autoRangeRaw(frame.raw);
          this.needsAuto = false;
          this.lo = r.min;
          this.hi = r.max;
          this.renderRangeInputs();
        }
        this.base = { raw: frame.raw };
        this.paint(this.base);
      } else {
        this.ctx.drawImage(bitmap, 0, 0);
        this.base = null;
        if (!this.identity) this.paint(this.baseOfShown0());
      }
    } catch (e) {
      if (frame.raw) { // not a frame this viewer can draw (odd shape): say so, do not retry
        showError('frame', `Cannot show this frame: ${e.message}`);
        return;
      }
      // bitmap closed under us (evicted): fetch again
      if (frame.index != null) this.seek(frame.index);
      return;
    }
    const upscaled = bitmap.width < this.stage.clientWidth && bitmap.height < this.stage.clientHeight;
    this.canvas.style.imageRendering = upscaled ? 'pixelated' : 'auto';
    this.setMessage(null);
    const shown = {
      number: frame.number, index: frame.index, time: frame.time,
      format: frame.format, width: bitmap.width, height: bitmap.height,
    };
    this.shown = shown;
    if (shown.index != null) {
      if (shown.index >= this.count) this.setCount(shown.index + 1);
      this.slider.value = String(shown.index);
    }
    this.renderStatus(shown);
    for (const fn of this.listeners) fn(shown, {});
  }

  /** The unmapped pixels just drawn on the canvas. */
  baseOfShown0() {
    this.base = { image: this.ctx.getImageData(0, 0, this.canvas.width, this.canvas.height) };
    return this.base;
  }

  renderStatus(f) {
    const s = this.status;
    s.frame.textContent = f && f.number != null ? `frame ${f.number}` : 'frame –';
    s.index.textContent = f && f.index != null ? `index ${formatCount(f.index)} / ${formatCount(this.count)}` : `index – / ${formatCount(this.count)}`;
    s.time.textContent = f ? formatFrameTime(f.time, this.store ? this.store.zone : 'UTC') : '–';
    s.bar.dataset.frameNumber = f && f.number != null ? f.number : '';
    s.bar.dataset.frameIndex = f && f.index != null ? f.index : '';
    s.bar.dataset.frameTime = f && f.time != null ? f.time : '';
    s.info.textContent = f ? `${f.width}×${f.height}${f.format !== 'png' ? ` ${f.format}` : ''}` : '';
  }

  // ---- playback ----

  toggle() {
    if (this.playing) this.pause(); else this.play();
  }

  play() {
    if (!this.store || this.playing || this.count === 0) return;
    this.userMoved();
    if (this.shown && this.shown.index >= this.count - 1) this.seek(0);
    this.playing = true;
    this.playBtn.textContent = '❚❚ Pause';
    this.playBtn.classList.add('playing');
    this.playLoop(++this.playGen);
  }

  pause() {
    if (!this.playing) return;
    this.playing = false;
    this.playGen++;
    this.playBtn.textContent = '▶ Play';
    this.playBtn.classList.remove('playing');
    // the frame left on screen is shown exactly
    if (this.shown && this.shown.format !== (this.still.format || 'png') && this.shown.index != null && !this.follow) {
      this.seek(this.shown.index, this.still);
    }
  }

  async playLoop(gen) {
    const live = () => gen === this.playGen && this.playing;
    let lastAt = performance.now();
    let busy = 0;
    while (live()) {
      const cur = this.shown;
      const next = cur && cur.index != null ? cur.index + 1 : 0;
      if (next >= this.count) {
        if (this.store && this.store.live) { await sleep(200); continue; }
        this.pause();
        break;
      }
      const ahead = [];
      for (let i = next + 1; i < Math.min(this.count, next + 1 + READ_AHEAD); i++) ahead.push(i);
      const moving = this.moving;
      this.source.prefetch(ahead, moving);
      let frame;
      try {
        frame = await this.source.get(next, moving);
        busy = 0;
      } catch (err) {
        if (!live()) break;
        if (isAbort(err)) continue;
        if (err.busy && busy++ < MAX_BUSY_RETRIES) {
          showError('frame', err, { level: 'warn' });
          await sleep(1000 * (err.retryAfter || 1));
          continue;
        }
        this.frameError(err, `frame index ${next}`);
        this.pause();
        break;
      }
      if (!live()) break;
      let dt = cur && cur.time != null && frame.time != null ? frame.time - cur.time : 1 / 30;
      if (!Number.isFinite(dt) || dt < 0) dt = 1 / 30;
      dt = Math.min(dt, 1);
      const due = lastAt + (this.speed > 0 ? (dt / this.speed) * 1000 : 0);
      const wait = due - performance.now();
      await sleep(Math.max(wait, 0));
      if (!live()) break;
      this.display(frame, ++this.seq);
      clearError('frame');
      lastAt = wait > 0 ? due : performance.now();
    }
  }

  // ---- live ----

  /** A frame pushed by the live feed (already decoded). */
  showLive(frame) {
    if (!this.store) return;
    if (frame.index != null && frame.index + 1 > this.count) this.setCount(frame.index + 1);
    if (this.follow && !this.playing) {
      this.display(frame, ++this.seq);
    } else {
      frame.bitmap.close();
    }
  }

  /** Pixels of the shown frame (for tests and downloads); RGBA. */
  pixels() {
    return this.ctx.getImageData(0, 0, this.canvas.width, this.canvas.height);
  }
}
