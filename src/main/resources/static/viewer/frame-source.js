// Frames of one store by index: decoded bitmaps kept in a small LRU cache, fetched with bounded
// concurrency. What the user asks for goes first; read-ahead for playback and scrubbing waits its
// turn and is dropped when the user has moved on.

import { fetchFrame } from './api.js';

export class FrameSource {
  constructor(storeId, { maxEntries = 120, concurrency = 4 } = {}) {
    this.storeId = storeId;
    this.maxEntries = maxEntries;
    this.concurrency = concurrency;
    this.cache = new Map(); // key -> {promise, frame}
    this.queue = []; // {key, index, opts, resolve, reject, prefetch}
    this.running = 0;
    this.closed = false;
  }

  static key(index, opts) {
    return `${index}:${opts.format || 'png'}:${opts.width || ''}x${opts.height || ''}`;
  }

  /** The decoded frame if it is already here, else null. */
  peek(index, opts = {}) {
    const e = this.cache.get(FrameSource.key(index, opts));
    return e && e.frame ? e.frame : null;
  }

  /** The frame at `index`, fetched now (ahead of any read-ahead). */
  get(index, opts = {}) {
    return this.request(index, opts, false);
  }

  /** Read-ahead: replaces whatever read-ahead was still waiting. */
  prefetch(indices, opts = {}) {
    const stale = this.queue.filter((t) => t.prefetch);
    this.queue = this.queue.filter((t) => !t.prefetch);
    for (const t of stale) this.drop(t);
    for (const i of indices) this.request(i, opts, true).catch(() => {});
  }

  request(index, opts, prefetch) {
    const key = FrameSource.key(index, opts);
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key); // refresh LRU position
      this.cache.set(key, hit);
      if (!prefetch) this.promote(key);
      return hit.promise;
    }
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    const entry = { promise, frame: null };
    this.cache.set(key, entry);
    const task = { key, index, opts, resolve, reject, prefetch, entry };
    if (prefetch) this.queue.push(task); else this.queue.unshift(task);
    this.evict();
    this.pump();
    return promise;
  }

  /** A waiting read-ahead task that the user now wants goes to the front. */
  promote(key) {
    const i = this.queue.findIndex((t) => t.key === key);
    if (i > 0) {
      const [t] = this.queue.splice(i, 1);
      t.prefetch = false;
      this.queue.unshift(t);
    } else if (i === 0) {
      this.queue[0].prefetch = false;
    }
  }

  pump() {
    while (!this.closed && this.running < this.concurrency && this.queue.length) {
      const task = this.queue.shift();
      if (this.cache.get(task.key) !== task.entry) { // evicted or dropped while waiting
        task.reject(new DOMException('dropped', 'AbortError'));
        continue;
      }
      this.running++;
      fetchFrame(this.storeId, 'index', task.index, task.opts)
        .then((frame) => {
          if (this.closed) { frame.bitmap.close(); task.reject(new DOMException('closed', 'AbortError')); return; }
          task.entry.frame = frame;
          task.resolve(frame);
        }, (err) => {
          if (this.cache.get(task.key) === task.entry) this.cache.delete(task.key);
          task.reject(err);
        })
        .finally(() => { this.running--; this.pump(); });
    }
  }

  drop(task) {
    if (this.cache.get(task.key) === task.entry) this.cache.delete(task.key);
    task.reject(new DOMException('dropped', 'AbortError'));
  }

  evict() {
    while (this.cache.size > this.maxEntries) {
      const [key, e] = this.cache.entries().next().value;
      this.cache.delete(key);
      if (e.frame) e.frame.bitmap.close();
    }
  }

  /** Forgets cached frames (e.g. a live store's index grew and changed). */
  invalidate() {
    const waiting = this.queue;
    this.queue = [];
    for (const t of waiting) this.drop(t);
    for (const e of this.cache.values()) if (e.frame) e.frame.bitmap.close();
    this.cache.clear();
  }

  close() {
    this.closed = true;
    this.invalidate();
  }
}
