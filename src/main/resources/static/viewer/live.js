// Newest frames of a store being written: the `live` WebSocket, or polling `frames/latest` when
// WebSockets are blocked (proxy, firewall) or fail.

import { fetchFrame, decodeFrame, storeUrl } from './api.js';
import { withAccessToken } from './auth.js';

const POLL_MS = 500;
const CONNECT_TIMEOUT_MS = 4000;

function isImage(bytes) {
  return (bytes[0] === 0xff && bytes[1] === 0xd8) || (bytes[0] === 0x89 && bytes[1] === 0x50);
}

function metaOf(j) {
  const n = (v) => (v == null ? null : Number(v));
  return {
    number: n(j.frame_number ?? j.number),
    index: n(j.frame_index ?? j.index),
    time: n(j.frame_time ?? j.time),
  };
}

export class LiveFeed {
  /**
   * @param storeId  the store
   * @param onFrame  called with each decoded frame {bitmap, number, index, time}
   * @param onState  called with 'connecting' | 'websocket' | 'polling' | 'closed' | 'error'
   * @param onEvent  called with non-frame messages (e.g. {type: 'closed'})
   * @param mode     'auto' (WebSocket, falling back to polling) or 'poll'
   */
  constructor(storeId, { onFrame, onState = () => {}, onEvent = () => {}, mode = 'auto' }) {
    this.storeId = storeId;
    this.onFrame = onFrame;
    this.onState = onState;
    this.onEvent = onEvent;
    this.mode = mode;
    this.stopped = false;
    this.ws = null;
    this.pollTimer = null;
    this.lastNumber = null;
    this.lastIndex = null;
    this.pendingMeta = null;
    this.decoding = Promise.resolve();
    this.state = null;
  }

  start() {
    if (this.mode === 'poll' || typeof WebSocket === 'undefined') this.startPolling();
    else this.connect();
    return this;
  }

  setState(s) {
    if (this.state === s) return;
    this.state = s;
    this.onState(s);
  }

  connect() {
    this.setState('connecting');
    const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    let ws;
    try {
      ws = new WebSocket(withAccessToken(`${proto}//${window.location.host}${storeUrl(this.storeId)}/live`));
    } catch (e) {
      this.startPolling();
      return;
    }
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    let opened = false;
    const timer = setTimeout(() => { if (!opened) { ws.close(); this.fallback(); } }, CONNECT_TIMEOUT_MS);
    ws.onopen = () => { opened = true; clearTimeout(timer); this.setState('websocket'); };
    ws.onmessage = (ev) => this.onMessage(ev.data);
    ws.onerror = () => { /* onclose follows */ };
    ws.onclose = (ev) => {
      clearTimeout(timer);
      if (this.stopped || this.ws !== ws) return;
      this.ws = null;
      if (!opened) { this.fallback(); return; }
      if (ev.code === 1000 || ev.code === 1001) {
        // the server ended the feed: writer closed the store (or the server is going away)
        this.setState('closed');
        this.onEvent({ type: 'closed', code: ev.code, reason: ev.reason });
        return;
      }
      // dropped: try again shortly, polling meanwhile
      this.startPolling();
      setTimeout(() => { if (!this.stopped && this.state === 'polling' && this.mode === 'auto') { this.stopPolling(); this.connect(); } }, 5000);
    };
  }

  fallback() {
    if (this.stopped) return;
    this.ws = null;
    this.startPolling();
  }

  onMessage(data) {
    if (typeof data === 'string') {
      let j;
      try { j = JSON.parse(data); } catch (_) { return; }
      if (j.frame_number != null || j.number != null) {
        this.pendingMeta = metaOf(j);
        if (j.image || j.jpeg || j.data) { // image inline as base64
          const b64 = j.image || j.jpeg || j.data;
          const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
          this.emit(new Blob([bytes], { type: 'image/jpeg' }), this.pendingMeta);
          this.pendingMeta = null;
        }
      } else if (j.closed) {
        this.onEvent({ type: 'closed', frameCount: j.frame_count });
      } else if (j.status && j.status >= 400) {
        this.onEvent({ type: 'error', error: { status: j.status, title: j.title, detail: j.detail, storeGone: j.status === 404 } });
      } else {
        this.onEvent(j);
      }
      return;
    }
    const bytes = new Uint8Array(data);
    if (isImage(bytes)) {
      this.emit(new Blob([bytes]), this.pendingMeta || {});
      this.pendingMeta = null;
      return;
    }
    // [4-byte big-endian JSON length][JSON header][image bytes]
    if (bytes.length < 4) return;
    const n = new DataView(data).getUint32(0, false);
    if (n > bytes.length - 4) return;
    let meta = {};
    try { meta = metaOf(JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + n)))); } catch (_) { return; }
    this.emit(new Blob([bytes.subarray(4 + n)]), meta);
  }

  emit(blob, meta) {
    // decode in arrival order
    this.decoding = this.decoding.then(async () => {
      if (this.stopped) return;
      try {
        const frame = await decodeFrame(blob, meta);
        if (this.stopped) { frame.bitmap.close(); return; }
        this.lastNumber = frame.number;
        if (frame.index != null) this.lastIndex = frame.index;
        this.onFrame(frame);
      } catch (_) { /* an undecodable frame is skipped */ }
    });
  }

  startPolling() {
    if (this.stopped || this.pollTimer) return;
    this.setState('polling');
    const tick = async () => {
      if (this.stopped) return;
      try {
        const f = await fetchFrame(this.storeId, 'latest', null, { format: 'jpeg' });
        if (this.stopped) { f.bitmap.close(); return; }
        if (f.number !== this.lastNumber || f.index !== this.lastIndex) {
          this.lastNumber = f.number;
          this.lastIndex = f.index;
          this.onFrame(f);
        } else {
          f.bitmap.close();
        }
        if (this.state === 'error') this.setState('polling');
      } catch (err) {
        if (err && err.status === 404 && !err.storeGone) {
          // no frame yet
        } else if (!this.stopped) {
          this.setState('error');
          this.onEvent({ type: 'error', error: err });
        }
      }
      if (!this.stopped && this.pollTimer) this.pollTimer = setTimeout(tick, POLL_MS);
    };
    this.pollTimer = setTimeout(tick, 0);
  }

  stopPolling() {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
  }

  stop() {
    this.stopped = true;
    this.stopPolling();
    if (this.ws) { const ws = this.ws; this.ws = null; ws.close(1000); }
    this.setState('closed');
  }
}
