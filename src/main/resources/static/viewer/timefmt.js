// Frame times (seconds since the epoch, UTC) shown as local date-times in the store's timezone,
// as imgstore-view shows them, and local date-times typed by the user turned back into seconds.

const formatters = new Map();

/** A usable IANA zone name for the store's timezone_local, falling back to UTC. */
export function resolveZone(tz) {
  if (!tz || typeof tz !== 'string') return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz;
  } catch (_) {
    return 'UTC';
  }
}

function formatter(zone) {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23',
      year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3,
      timeZoneName: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

function parts(seconds, zone) {
  const out = {};
  for (const p of formatter(zone).formatToParts(new Date(seconds * 1000))) out[p.type] = p.value;
  return out;
}

/** 1714561200.25 in Europe/Vienna -> "2024-05-01 13:00:00.250 GMT+2". */
export function formatFrameTime(seconds, zone, { withZone = true } = {}) {
  if (seconds == null || !Number.isFinite(seconds)) return '–';
  const p = parts(seconds, zone);
  const text = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}.${p.fractionalSecond}`;
  return withZone ? `${text} ${p.timeZoneName}` : text;
}

/** The date only, "2024-05-01". */
export function formatDate(seconds, zone) {
  if (seconds == null || !Number.isFinite(seconds)) return '–';
  const p = parts(seconds, zone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** Offset of `zone` from UTC at the given instant, in seconds. */
function offsetAt(seconds, zone) {
  const p = parts(Math.floor(seconds), zone);
  const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) / 1000;
  return asUtc - Math.floor(seconds);
}

/**
 * "2024-05-01 13:00:00.5" (or with a T) read as a local date-time in `zone` -> epoch seconds;
 * null when the text is not a date-time.
 */
export function parseLocalDateTime(text, zone) {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, hh, mm, ss = '0', frac = ''] = m;
  const naive = Date.UTC(+y, +mo - 1, +d, +hh, +mm, +ss) / 1000 + (frac ? Number(frac) : 0);
  // two rounds settle the offset except within a DST gap, where any nearby answer will do
  let t = naive - offsetAt(naive, zone);
  t = naive - offsetAt(t, zone);
  return t;
}
