// Display range: maps pixel values [min, max] to [0, 255] on the canvas, for dim 8-bit and for
// 16-bit recordings (fetched as npy, so that all 16 bits are there to map). min 0 / max 255 on an
// 8-bit frame is the identity: the canvas shows the frame's pixels unchanged.

/** Parses an .npy file (versions 1-3): {shape, dtype: 'uint8'|'uint16', data, height, width, channels}. */
export function parseNpy(buffer) {
  const bytes = new Uint8Array(buffer);
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw new Error('not an npy file');
  const major = bytes[6];
  const dv = new DataView(buffer);
  const headerLen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header);
  const shapeM = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !shapeM) throw new Error(`bad npy header: ${header}`);
  if (/'fortran_order'\s*:\s*True/.test(header)) throw new Error('fortran-ordered npy is not supported');
  const shape = shapeM[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const offset = start + headerLen;
  const code = descr[1];
  let data;
  let dtype;
  if (/^[|<>=]?u1$/.test(code)) {
    dtype = 'uint8';
    data = bytes.subarray(offset);
  } else if (/^[<>=]?u2$/.test(code)) {
    dtype = 'uint16';
    const n = (bytes.length - offset) >> 1;
    if (code.startsWith('>')) {
      data = new Uint16Array(n);
      for (let i = 0; i < n; i++) data[i] = dv.getUint16(offset + 2 * i, false);
    } else {
      data = offset % 2 === 0 ? new Uint16Array(buffer, offset, n) : new Uint16Array(buffer.slice(offset, offset + 2 * n));
    }
  } else {
    throw new Error(`unsupported npy dtype ${code}`);
  }
  const [height, width, channels = 1] = shape;
  if (shape.length < 2 || shape.length > 3 || (channels !== 1 && channels !== 3)) throw new Error(`unsupported frame shape (${shape})`);
  if (data.length < height * width * channels) throw new Error('truncated npy frame');
  return { shape, dtype, data, height, width, channels };
}

/** The 0.5 % and 99.5 % percentiles of an array of samples (every 4th ignored with skipAlpha: RGBA). */
function percentiles(values, maxValue, skipAlpha) {
  const hist = new Uint32Array(maxValue + 1);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    if (skipAlpha && (i & 3) === 3) continue;
    hist[values[i]]++;
    n++;
  }
  if (!n) return { min: 0, max: maxValue };
  const lowAt = n * 0.005;
  const highAt = n * 0.995;
  let acc = 0;
  let min = null;
  let max = maxValue;
  for (let v = 0; v <= maxValue; v++) {
    acc += hist[v];
    if (min == null && acc > lowAt) min = v;
    if (acc >= highAt) { max = v; break; }
  }
  if (min == null) min = 0;
  if (max <= min) max = Math.min(maxValue, min + 1);
  if (max <= min) min = max - 1;
  return { min, max };
}

/** Auto contrast of a raw npy frame. */
export function autoRangeRaw(raw) {
  return percentiles(raw.data, raw.dtype === 'uint16' ? 65535 : 255, false);
}

/** Auto contrast of an RGBA ImageData (alpha ignored). */
export function autoRangeImage(img) {
  return percentiles(img.data, 255, true);
}

function lut(min, max, size) {
  const t = new Uint8ClampedArray(size);
  const span = Math.max(1, max - min);
  for (let v = 0; v < size; v++) t[v] = Math.round(((v - min) * 255) / span);
  return t;
}

/** A raw frame mapped [min, max] -> [0, 255] into a new ImageData (BGR -> RGB). */
export function renderRaw(raw, min, max) {
  const { data, width, height, channels } = raw;
  const table = lut(min, max, raw.dtype === 'uint16' ? 65536 : 256);
  const out = new ImageData(width, height);
  const o = out.data;
  const n = width * height;
  if (channels === 3) {
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      o[4 * i] = table[data[j + 2]];
      o[4 * i + 1] = table[data[j + 1]];
      o[4 * i + 2] = table[data[j]];
      o[4 * i + 3] = 255;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = table[data[i]];
      o[4 * i] = v; o[4 * i + 1] = v; o[4 * i + 2] = v; o[4 * i + 3] = 255;
    }
  }
  return out;
}

/** An 8-bit RGBA ImageData mapped [min, max] -> [0, 255] (a new one; the source is kept). */
export function renderImage(img, min, max) {
  const table = lut(min, max, 256);
  const out = new ImageData(img.width, img.height);
  const s = img.data;
  const o = out.data;
  for (let i = 0; i < s.length; i += 4) {
    o[i] = table[s[i]]; o[i + 1] = table[s[i + 1]]; o[i + 2] = table[s[i + 2]]; o[i + 3] = s[i + 3];
  }
  return out;
}
