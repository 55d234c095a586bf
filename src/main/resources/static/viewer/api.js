import { authHeaders } from './auth.js';
import { parseNpy } from './display-range.js';

// The service's HTTP API, as the viewer uses it. Every failure becomes an ApiError carrying the
// HTTP status and the RFC 9457 problem's title/detail, so the page can say what went wrong.

const enc = encodeURIComponent;

export class ApiError extends Error {
  constructor(status, title, detail, { retryAfter = null, url = null, type = null } = {}) {
    super(detail || title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.type = type;
    this.title = title;
    this.detail = detail;
    this.retryAfter = retryAfter;
    this.url = url;
  }

  /** The server asked us to come back later (busy frame workers, rate limit). */
  get busy() {
    return this.status === 503 || this.status === 429;
  }

  get notFound() {
    return this.status === 404;
  }

  /** 404 for the store itself (deleted, moved), as opposed to one of its frames. */
  get storeGone() {
    return this.status === 404 && (this.type || '').endsWith('store-not-found');
  }

  /** Network failure: the server is unreachable (stopped, restarting). */
  get offline() {
    return this.status === 0;
  }
}

async function toError(res) {
  let title = res.statusText;
  let detail = null;
  let type = null;
  try {
    const ctype = res.headers.get('content-type') || '';
    if (ctype.includes('json')) {
      const body = await res.json();
      title = body.title || title;
      type = body.type || null;
      detail = body.detail || body.message || null;
    } else {
      const text = (await res.text()).trim();
      if (text && text.length < 300 && !text.startsWith('<')) detail = text;
    }
  } catch (_) { /* keep the status line */ }
  const ra = res.headers.get('retry-after');
  return new ApiError(res.status, title, detail, { retryAfter: ra ? Number(ra) : null, url: res.url, type });
}

async function request(url, init = {}) {
  let res;
  try {
    res = await fetch(url, { ...init, headers: { ...authHeaders(), ...(init.headers || {}) } });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'Server unreachable', `Could not reach the server (${e.message}).`, { url });
  }
  if (!res.ok) throw await toError(res);
  return res;
}

export async function getJson(url, init) {
  const res = await request(url, { ...init, headers: { Accept: 'application/json' } });
  return res.json();
}

// ---- stores ----

/** Every store under the root, sorted by path (metadata.yaml only: cheap). */
export async function listStores() {
  const body = await getJson('/stores');
  return Array.isArray(body) ? body : [];
}

export const storeUrl = (id) => `/stores/${enc(id)}`;
export const getStore = (id) => getJson(storeUrl(id));
export const getMetadata = (id) => getJson(`${storeUrl(id)}/metadata`);
export const getFrameMetadata = (id) => getJson(`${storeUrl(id)}/frame-metadata`);
export const getExtraData = (id) => getJson(`${storeUrl(id)}/extra-data`);

// ---- frames ----

/**
 * URL of one frame. `by` is 'number', 'index', 'time' or 'latest'; `opts` may give
 * format ('png' | 'jpeg' | 'npy'), width and height.
 */
export function frameUrl(id, by, key, opts = {}) {
  let path;
  switch (by) {
    case 'number': path = `frames/${enc(key)}`; break;
    case 'index': path = `frames/by-index/${enc(key)}`; break;
    case 'time': path = `frames/by-time/${enc(key)}`; break;
    case 'latest': path = 'frames/latest'; break;
    default: throw new Error(`unknown frame key ${by}`);
  }
  const q = new URLSearchParams();
  if (opts.format && opts.format !== 'png') q.set('format', opts.format);
  if (opts.width) q.set('width', opts.width);
  if (opts.height) q.set('height', opts.height);
  const qs = q.toString();
  return `${storeUrl(id)}/${path}${qs ? `?${qs}` : ''}`;
}

function num(h, name) {
  const v = h.get(name);
  return v == null || v === '' ? null : Number(v);
}

/**
 * Fetches a frame and decodes it to an ImageBitmap. Resolves to
 * {bitmap, number, index, time, width, height, format}.
 */
export async function fetchFrame(id, by, key, opts = {}, signal) {
  const npy = opts.format === 'npy';
  const res = await request(frameUrl(id, by, key, opts), { signal, headers: { Accept: npy ? '*/*' : 'image/*' } });
  const meta = {
    number: num(res.headers, 'x-frame-number'),
    index: num(res.headers, 'x-frame-index'),
    time: num(res.headers, 'x-frame-time'),
  };
  if (npy) {
    // raw pixels (all 16 bits): drawn through the display range; the stub bitmap keeps the cache simple
    const raw = parseNpy(await res.arrayBuffer());
    const bitmap = { width: raw.width, height: raw.height, close() {} };
    return { bitmap, raw, ...meta, width: raw.width, height: raw.height, format: 'npy' };
  }
  const blob = await res.blob();
  const bitmap = await createImageBitmap(blob);
  return {
    bitmap,
    number: num(res.headers, 'x-frame-number'),
    index: num(res.headers, 'x-frame-index'),
    time: num(res.headers, 'x-frame-time'),
    width: bitmap.width,
    height: bitmap.height,
    format: opts.format || 'png',
  };
}

/** A thumbnail (or any small image) as an object URL; revoke it when done. */
export async function fetchImageUrl(url) {
  const res = await request(url, { headers: { Accept: 'image/*' } });
  return URL.createObjectURL(await res.blob());
}

/** Decodes a pushed frame (a Blob of JPEG/PNG bytes) with the number/time that came with it. */
export async function decodeFrame(blob, meta) {
  const bitmap = await createImageBitmap(blob);
  return { bitmap, width: bitmap.width, height: bitmap.height, format: 'jpeg', ...meta };
}
