// Small DOM and text-formatting helpers shared by the viewer's modules.

/** Creates an element: h('td', {class: 'num'}, 'text', childNode, ...). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function formatCount(n) {
  return n == null || Number.isNaN(n) ? '–' : Number(n).toLocaleString('en-US');
}

/** 3725.5 -> "1:02:05.5"; 12.25 -> "0:12.25". */
export function formatDuration(seconds) {
  if (seconds == null || !Number.isFinite(seconds)) return '–';
  const neg = seconds < 0;
  let s = Math.abs(seconds);
  const hrs = Math.floor(s / 3600);
  s -= hrs * 3600;
  const min = Math.floor(s / 60);
  s -= min * 60;
  const whole = Math.abs(s - Math.round(s)) < 0.005;
  const sec = whole ? String(Math.round(s)).padStart(2, '0') : s.toFixed(2).padStart(5, '0');
  const body = hrs > 0 ? `${hrs}:${String(min).padStart(2, '0')}:${sec}` : `${min}:${sec}`;
  return neg ? `-${body}` : body;
}

/** "h:m:s", "m:s" or "s" (decimals allowed) -> seconds; null when not of that form. */
export function parseDuration(text) {
  const t = text.trim();
  if (!/^-?\d+(\.\d+)?(:\d+(\.\d+)?){0,2}$/.test(t)) return null;
  const neg = t.startsWith('-');
  const parts = t.replace(/^-/, '').split(':').map(Number);
  let s = 0;
  for (const p of parts) s = s * 60 + p;
  return neg ? -s : s;
}

/** image_shape [h, w] or [h, w, c] -> "w×h" (+ " ×3"). */
export function formatShape(shape) {
  if (!Array.isArray(shape) || shape.length < 2) return '–';
  const [hgt, wid, ch] = shape;
  return `${wid}×${hgt}${ch && ch > 1 ? ` ×${ch}` : ''}`;
}

/** Number of frame rows/cols per page etc.: clamps v to [lo, hi]. */
export const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
