// Download the shown frame (PNG, npy) and copy curl / Python snippets that fetch it.

import { frameUrl, storeUrl } from './api.js';
import { token, authHeaders } from './auth.js';
import { h, clear } from './format.js';

function safeName(path) {
  return path.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'store';
}

async function copyText(text, button) {
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch (_) {
    // clipboard API refused (not a secure context, no permission): select-and-copy fallback
    const ta = h('textarea', { style: 'position:fixed;left:-9999px;top:0' });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    ta.remove();
  }
  const old = button.textContent;
  button.textContent = ok ? 'copied' : 'select & copy';
  setTimeout(() => { button.textContent = old; }, 1500);
}

/** With a token, a plain link would be refused: fetch with the header and save the blob instead. */
function downloadLink(href, filename, id, label) {
  const a = h('a', { href, download: filename, id }, label);
  a.addEventListener('click', async (e) => {
    if (!token()) return;
    e.preventDefault();
    const res = await fetch(href, { headers: authHeaders() });
    if (!res.ok) return;
    const url = URL.createObjectURL(await res.blob());
    const tmp = h('a', { href: url, download: filename });
    document.body.append(tmp);
    tmp.click();
    tmp.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  });
  return a;
}

function snippet(label, text, name) {
  const pre = h('pre', { dataset: { snippet: name } }, text);
  const btn = h('button', { type: 'button', title: `Copy ${label}` }, 'copy');
  btn.addEventListener('click', () => copyText(text, btn));
  return [h('h3', {}, label), h('div', { class: 'snippet' }, pre, btn)];
}

export class DownloadPanel {
  constructor() {
    this.el = document.getElementById('tab-download');
    this.store = null;
    this.frame = null;
  }

  reset(store) {
    this.store = store;
    this.frame = null;
    this.render();
  }

  setFrame(frame) {
    if (this.frame && frame && this.frame.number === frame.number && this.frame.index === frame.index) return;
    this.frame = frame;
    if (this.el.offsetParent !== null) this.render();
  }

  /** The shown frame's URL: by number where the server told us one, else by index. */
  urls() {
    const f = this.frame;
    const id = this.store.id;
    const by = f.number != null ? 'number' : 'index';
    const key = f.number != null ? f.number : f.index;
    return {
      png: frameUrl(id, by, key, { format: 'png' }),
      npy: frameUrl(id, by, key, { format: 'npy' }),
    };
  }

  /**
   * Export of a frame-number range, starting at the shown frame: an H.264 clip (clip.mp4, plays in
   * the browser) and the frames as npz (frames, frame_number, frame_time). The range is clamped to
   * the store's last frame number; the server bounds clip length (imgstore.bulk.max-clip-frames).
   */
  exportSection(f) {
    if (f.number == null) return [];
    const last = this.store.frame_max != null ? this.store.frame_max : f.number + 249;
    const from = h('input', { type: 'number', id: 'export-from', value: String(f.number), size: 8 });
    const to = h('input', { type: 'number', id: 'export-to', value: String(Math.min(last, f.number + 249)), size: 8 });
    const links = h('div', { class: 'downloads' });
    const update = () => {
      clear(links);
      const q = `from=${encodeURIComponent(from.value)}&to=${encodeURIComponent(to.value)}`;
      const base = `${safeName(this.store.path)}_${from.value}-${to.value}`;
      links.append(
        downloadLink(`${storeUrl(this.store.id)}/clip.mp4?${q}`, `${base}.mp4`, 'export-clip', 'clip.mp4'),
        downloadLink(`${storeUrl(this.store.id)}/frames?${q}&format=npz`, `${base}.npz`, 'export-npz', 'npz'));
    };
    from.addEventListener('change', update);
    to.addEventListener('change', update);
    update();
    // the aligned view (align.html) with this store pre-filled, opening at the shown frame number
    const align = h('a', { href: `/align.html?stores=${encodeURIComponent(this.store.id)}&frame=${f.number}`,
      id: 'align-link', target: '_blank', rel: 'noopener' }, 'Align with other stores…');
    return [h('h3', {}, 'Export a range'),
      h('div', { class: 'export-range' }, h('label', {}, 'from ', from), ' ', h('label', {}, 'to ', to)), links,
      h('h3', {}, 'Multi-camera'), h('p', {}, align)];
  }

  render() {
    clear(this.el);
    if (!this.store || !this.frame) {
      this.el.append(h('p', { class: 'muted' }, 'No frame shown yet.'));
      return;
    }
    const f = this.frame;
    const { png, npy } = this.urls();
    const base = `${safeName(this.store.path)}_frame${f.number != null ? f.number : `-idx${f.index}`}`;
    const origin = window.location.origin;
    const auth = Boolean(token());
    this.el.append(
      h('h3', {}, `Frame ${f.number ?? '?'} (index ${f.index ?? '?'})`),
      h('div', { class: 'downloads' },
        downloadLink(png, `${base}.png`, 'dl-png', 'PNG'),
        downloadLink(npy, `${base}.npy`, 'dl-npy', 'npy')),
      ...this.exportSection(f),
      ...snippet('curl', `curl -o ${base}.png${auth ? ' -H "Authorization: Bearer $IMGSTORE_TOKEN"' : ''} '${origin}${png}'`, 'curl'),
      ...snippet('Python (numpy)', [
        `import io${auth ? ', os' : ''}, urllib.request`,
        'import numpy as np',
        '',
        `url = '${origin}${npy}'`,
        ...(auth ? ["req = urllib.request.Request(url, headers={'Authorization': 'Bearer ' + os.environ['IMGSTORE_TOKEN']})",
          'with urllib.request.urlopen(req) as r:'] : ['with urllib.request.urlopen(url) as r:']),
        '    img = np.load(io.BytesIO(r.read()))',
        '# colour frames are BGR, as imgstore returns them',
        'print(img.shape, img.dtype)',
      ].join('\n'), 'python'),
    );
  }
}
