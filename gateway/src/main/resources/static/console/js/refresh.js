// Keeps a page's data current: reloads (debounced) when a live event of interest arrives, catches up after the
// stream reconnects, and polls while something on screen is still moving: every few seconds while the stream is
// down, and now and then while it is up, so a lost event cannot leave a job looking stuck.
import { isLive, live } from './events.js';

/** While the stream is up, a moving page still polls on every this many intervals (3 s × 5 = 15 s). */
const LIVE_POLL_EVERY = 5;

/**
 * @param ctx       the page's context (its signal ends every listener and timer when the page is left)
 * @param reload    async function that refetches and redraws
 * @param events    SSE event names that make the page reload
 * @param isMoving  true while the page shows a job that has not ended (poll only then)
 * @returns a function that asks for a reload soon
 */
export function keepFresh(ctx, reload, { events = [], isMoving = () => false, interval = 3000 }) {
  let timer = null;
  let running = false;
  let again = false; // asked for while a reload was under way: its answer may predate the event
  const go = async () => {
    if (ctx.signal.aborted) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await reload();
    } catch {
      // a failed background refresh keeps what is on screen; the next event or poll tries again
    } finally {
      running = false;
    }
    if (again) {
      again = false;
      go();
    }
  };
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(go, 250);
  };
  for (const type of events) live.addEventListener(type, soon, { signal: ctx.signal });
  live.addEventListener('state', (event) => { if (event.detail.live) soon(); }, { signal: ctx.signal });
  let ticks = 0;
  const poll = setInterval(() => {
    ticks++;
    if (isMoving() && (!isLive() || ticks % LIVE_POLL_EVERY === 0)) go();
  }, interval);
  ctx.signal.addEventListener('abort', () => {
    clearInterval(poll);
    clearTimeout(timer);
  }, { once: true });
  return soon;
}

/** Servers and volumes by id, for names in lists and options in forms. */
export async function lookups(api, signal) {
  const [servers, volumes] = await Promise.all([
    api.get('/api/v1/servers', { signal }),
    api.get('/api/v1/volumes', { signal }),
  ]);
  return {
    servers,
    volumes,
    server: (id) => servers.find((s) => s.id === id),
    volume: (id) => volumes.find((v) => v.id === id),
  };
}
