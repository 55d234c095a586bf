// The viewer's entry point: routes between the store list and one store, keeps the URL
// (?store=ID&frame=NUMBER) shareable, and wires the player, panels and live feed together.

import { getStore, getJson } from './api.js';
import { h, clear, parseDuration } from './format.js';
import { resolveZone, parseLocalDateTime } from './timefmt.js';
import { installGlobalHandlers, showError, clearError, clearAll, describe } from './errors.js';
import { StoreList, isLive } from './store-list.js';
import { Player } from './player.js';
import { InfoPanel, FramesPanel } from './panels.js';
import { ExtraPlot } from './extra-plot.js';
import { DownloadPanel } from './download.js';
import { LiveFeed } from './live.js';

const SUMMARY_REFRESH_MS = 2000;

const $ = (id) => document.getElementById(id);

/** "/?store=lab~rig1&frame=12": like URLSearchParams but keeps ids readable (~ is not escaped). */
function viewerUrl(params) {
  const parts = [];
  for (const [k, v] of params) if (v != null && v !== '') parts.push(`${k}=${encodeURIComponent(v)}`);
  return parts.length ? `/?${parts.join('&')}` : '/';
}

class App {
  constructor() {
    this.config = { single_store: null };
    this.listView = $('list-view');
    this.storeView = $('store-view');
    this.list = new StoreList({ onOpen: (id) => this.navigate({ store: id }) });
    this.player = new Player();
    this.info = new InfoPanel();
    this.frames = new FramesPanel({ onPick: (i) => { this.player.userMoved(); this.player.pause(); this.player.seek(i); } });
    this.plot = new ExtraPlot({ onPick: (r) => this.pickRecord(r) });
    this.downloads = new DownloadPanel();
    this.store = null;
    this.feed = null;
    this.summaryTimer = null;
    this.urlTimer = null;
    this.openSeq = 0;
    this.tab = 'info';
    this.wire();
  }

  wire() {
    window.addEventListener('popstate', () => this.route());
    $('home-link').addEventListener('click', (e) => { e.preventDefault(); this.navigate({}); });
    for (const b of document.querySelectorAll('.tabs button')) b.addEventListener('click', () => this.selectTab(b.dataset.tab));
    $('goto-frame').addEventListener('submit', (e) => { e.preventDefault(); this.gotoFrame($('goto-frame-input').value); });
    $('goto-time').addEventListener('submit', (e) => { e.preventDefault(); this.gotoTime($('goto-time-input').value); });
    $('btn-live').addEventListener('click', () => this.setFollow(!this.player.follow));
    this.player.onFrame((f, ev) => this.frameShown(f, ev));
    // one frame count for the status bar, the info panel and the list: the store's latest summary,
    // raised by live frames that are newer than it
    this.player.onCount = (n) => {
      const store = this.store;
      if (!store || !(n > (store.frame_count || 0))) return;
      store.frame_count = n;
      this.info.update(store);
      this.list.noteSummary(store.id, store);
    };
  }

  async start() {
    try {
      this.config = { ...this.config, ...(await getJson('/viewer/config')) };
    } catch (_) { /* older server or no config: defaults */ }
    this.route();
  }

  params() {
    return new URLSearchParams(window.location.search);
  }

  /** Changes the URL (a history entry) and shows what it names. */
  navigate({ store = null, frame = null } = {}) {
    history.pushState(null, '', viewerUrl([['store', store], ['frame', frame], ['live', this.params().get('live')]]));
    this.route();
  }

  route() {
    const p = this.params();
    const id = p.get('store') || this.config.single_store;
    if (id) {
      const frame = p.get('frame');
      if (this.store && this.store.id === id) {
        if (frame != null && this.player.shown && String(this.player.shown.number) !== frame) this.player.jump('number', frame);
        return;
      }
      this.openStore(id, frame);
    } else {
      this.showList();
    }
  }

  // ---- list ----

  showList() {
    this.closeStore();
    clearAll();
    document.title = 'imgstore viewer';
    this.renderCrumbs(null);
    this.storeView.hidden = true;
    this.listView.hidden = false;
    this.list.load().then(() => { if (!document.getElementById('token-form')) $('filter').focus(); });
  }

  renderCrumbs(path) {
    const c = clear($('crumbs'));
    if (!this.config.single_store) {
      c.append(h('a', { href: '/', onclick: (e) => { e.preventDefault(); this.navigate({}); } }, 'stores'));
    }
    if (!path) return;
    const segs = path.split('/');
    segs.forEach((s, i) => {
      if (i > 0 || !this.config.single_store) c.append(h('span', { class: 'sep' }, '/'));
      c.append(h('span', { class: i === segs.length - 1 ? 'here' : 'muted' }, s));
    });
  }

  // ---- one store ----

  async openStore(id, frameNumber) {
    this.closeStore();
    clearAll();
    const seq = ++this.openSeq;
    this.listView.hidden = true;
    this.storeView.hidden = false;
    this.renderCrumbs(id);
    this.player.setMessage('loading…');
    let summary;
    for (let attempt = 0; ; attempt++) {
      try {
        summary = await getStore(id);
        break;
      } catch (err) {
        if (seq !== this.openSeq) return;
        if (err.busy && attempt < 8) {
          showError('store', err, { level: 'warn' });
          await new Promise((r) => setTimeout(r, 1000 * (err.retryAfter || 1)));
          continue;
        }
        const gone = err.notFound;
        this.player.setMessage(gone ? 'No such store: it was deleted, moved or never existed.' : `Cannot open this store: ${describe(err)}`, { error: true });
        showError('store', err, {
          action: this.config.single_store ? { label: 'Retry', run: () => this.openStore(id, frameNumber) }
            : { label: 'Back to the list', run: () => this.navigate({}) },
        });
        return;
      }
    }
    if (seq !== this.openSeq) return;
    clearError('store');
    const store = { ...summary, id: summary.id || id, zone: resolveZone(summary.timezone_local), live: isLive(summary) };
    this.store = store;
    document.title = `${store.path || id} – imgstore viewer`;
    this.renderCrumbs(store.path || id);
    this.player.open(store);
    this.info.show(store);
    this.frames.reset(store);
    this.plot.reset(store);
    this.downloads.reset(store);
    this.selectTab(this.tab);
    this.updateLive();
    if (frameNumber != null && frameNumber !== '') {
      await this.player.jump('number', frameNumber);
    } else if (store.live) {
      this.setFollow(true);
    } else if (store.frame_count > 0) {
      await this.player.seek(0);
    }
    this.summaryTimer = setInterval(() => this.refreshSummary(), SUMMARY_REFRESH_MS);
  }

  closeStore() {
    this.stopFeed();
    if (this.summaryTimer) clearInterval(this.summaryTimer);
    this.summaryTimer = null;
    this.player.close();
    this.store = null;
    this.info.clear();
    this.frames.reset(null);
    this.plot.reset(null);
    this.downloads.reset(null);
  }

  /** Live stores grow; a store can also stop being live, or disappear. */
  async refreshSummary() {
    const store = this.store;
    if (!store) return;
    let s;
    try {
      s = await getStore(store.id);
    } catch (err) {
      if (store !== this.store) return;
      if (err.notFound) {
        this.player.pause();
        this.stopFeed();
        showError('store', 'This store is gone: it was deleted or moved while you were viewing it.', {
          action: this.config.single_store ? null : { label: 'Back to the list', run: () => this.navigate({}) },
        });
      } else if (err.offline) {
        showError('store', err, { level: 'warn' });
      }
      return;
    }
    if (store !== this.store) return;
    clearError('store');
    // live frames may have told us of more frames than this summary knew when it was made
    const count = Math.max(s.frame_count || 0, store.live && isLive(s) ? this.player.count : 0);
    const grew = count !== store.frame_count;
    const wasLive = store.live;
    Object.assign(store, s, { frame_count: count, live: isLive(s), zone: store.zone });
    if (grew) {
      this.player.setCount(count);
      this.frames.markStale();
      this.plot.markStale();
      if (this.tab === 'frames' || this.tab === 'extra') this.selectTab(this.tab);
      if (!this.player.shown && s.frame_count > 0 && !this.player.follow) this.player.seek(0);
    }
    if (grew || wasLive !== store.live) {
      this.info.update(store);
      this.list.noteSummary(store.id, store);
    }
    if (wasLive !== store.live) {
      this.updateLive();
      if (!store.live) {
        showError('live', 'Recording finished: the store was closed by its writer.', { level: 'warn' });
      }
    }
  }

  // ---- live ----

  updateLive() {
    const store = this.store;
    const live = Boolean(store && store.live);
    $('live-badge').hidden = !live;
    $('btn-live').hidden = !live;
    if (live && !this.feed) this.startFeed();
    if (!live && this.feed) {
      this.stopFeed();
      if (this.player.follow) this.player.setFollow(false);
    }
    this.renderFollow();
  }

  startFeed() {
    const store = this.store;
    const mode = this.params().get('live') === 'poll' ? 'poll' : 'auto';
    this.feed = new LiveFeed(store.id, {
      mode,
      onFrame: (f) => {
        if (store !== this.store) { f.bitmap.close(); return; }
        if (f.index != null && f.index + 1 > this.player.count) {
          this.frames.markStale();
          this.plot.markStale();
        }
        if (f.index != null && f.index + 1 > (store.frame_count || 0)) {
          // newer than the summary: its last frame number and time too (the count follows in onCount)
          if (f.number != null) store.frame_max = Math.max(store.frame_max ?? f.number, f.number);
          if (f.time != null) {
            store.frame_time_max = Math.max(store.frame_time_max ?? f.time, f.time);
            if (store.frame_time_min == null) store.frame_time_min = f.time;
          }
          if (store.frame_min == null && f.number != null) store.frame_min = f.number;
        }
        this.player.showLive(f);
      },
      onState: (state) => {
        $('live-badge').dataset.transport = state;
        $('live-badge').title = `live feed: ${state}`;
        if (state === 'polling') showError('live', 'Live updates by polling (WebSocket unavailable).', { level: 'warn' });
        else if (state === 'websocket') clearError('live');
      },
      onEvent: (ev) => {
        if (ev.type === 'closed') this.refreshSummary();
        else if (ev.type === 'error' && ev.error) showError('live', `Live feed: ${describe(ev.error)}`, { level: 'warn' });
      },
    }).start();
    document.body.dataset.liveTransport = mode;
  }

  stopFeed() {
    if (this.feed) this.feed.stop();
    this.feed = null;
  }

  setFollow(on) {
    if (!this.store) return;
    if (on) {
      this.player.pause();
      this.player.setFollow(true);
      // show the newest frame now rather than at the next push
      this.player.jump('latest', null);
    } else {
      this.player.setFollow(false);
    }
    this.renderFollow();
  }

  renderFollow() {
    const on = this.player.follow;
    $('btn-live').classList.toggle('on', on);
    $('btn-live').textContent = on ? 'Following live' : 'Follow live';
    $('live-badge').classList.toggle('paused', !on);
  }

  // ---- what the player shows ----

  frameShown(f, ev) {
    if (ev.followChanged) { this.renderFollow(); this.scheduleUrl(); return; }
    if (!f) return;
    this.downloads.setFrame(f);
    this.frames.setCurrent(f.index, this.tab === 'frames');
    this.plot.setCurrentTime(f.time);
    this.scheduleUrl();
  }

  /** The address bar follows the shown frame (replaceState, at most 4 times a second). */
  scheduleUrl() {
    if (this.urlTimer) return;
    this.urlTimer = setTimeout(() => {
      this.urlTimer = null;
      if (!this.store) return;
      const q = this.params();
      q.set('store', this.store.id);
      const f = this.player.shown;
      if (this.player.follow || !f || f.number == null) q.delete('frame'); else q.set('frame', f.number);
      const url = viewerUrl(q);
      if (url !== window.location.pathname + window.location.search) history.replaceState(null, '', url);
    }, 250);
  }

  selectTab(name) {
    this.tab = name;
    for (const b of document.querySelectorAll('.tabs button')) b.setAttribute('aria-selected', String(b.dataset.tab === name));
    for (const p of document.querySelectorAll('.tab-panel')) p.hidden = p.id !== `tab-${name}`;
    if (!this.store) return;
    if (name === 'frames') this.frames.activate().then(() => this.frames.setCurrent(this.player.shown ? this.player.shown.index : null, true));
    if (name === 'extra') this.plot.activate();
    if (name === 'download') this.downloads.render();
  }

  pickRecord(r) {
    this.player.userMoved();
    this.player.pause();
    if (r.frame_index != null && r.frame_index < this.player.count) this.player.seek(Number(r.frame_index));
    else if (r.frame_number != null) this.player.jump('number', r.frame_number);
    else this.player.jump('time', r.frame_time);
  }

  gotoFrame(text) {
    const t = text.trim();
    if (!/^-?\d+$/.test(t)) {
      showError('input', `"${text}" is not a frame number.`, { level: 'warn' });
      return;
    }
    clearError('input');
    this.player.jump('number', t);
  }

  /** "1:23.5" / "83.5" = that long after the first frame; "2024-05-01 13:00:00" = local time in the store's zone. */
  gotoTime(text) {
    const store = this.store;
    if (!store) return;
    let t = parseLocalDateTime(text, store.zone);
    if (t == null) {
      const d = parseDuration(text);
      if (d != null && store.frame_time_min != null) t = store.frame_time_min + d;
    }
    if (t == null) {
      showError('input', `"${text}" is not a time: use 1:23.5 (after the first frame) or 2024-05-01 13:00:00 (local time).`, { level: 'warn' });
      return;
    }
    clearError('input');
    this.player.jump('time', t);
  }
}

installGlobalHandlers();
const app = new App();
window.imgstoreViewer = app; // for tests and the curious
app.start();
