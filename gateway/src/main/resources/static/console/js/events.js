// Live status from GET /api/v1/events. EventSource cannot send an Authorization header, so the stream is read
// with fetch() and a ReadableStream and the server-sent events are parsed here. Reconnects with a growing,
// jittered delay (1 s … 30 s), resending the last event id.
import { session } from './session.js';
import { UNAUTHORIZED } from './api.js';

/** Dispatches one CustomEvent per server-sent event (type = the SSE event name, detail = its JSON data),
 * and 'state' events (detail: {live: boolean}) when the connection opens or drops. */
export const live = new EventTarget();

let controller = null;
let connected = null; // null until the first attempt has opened or failed

export function isLive() {
  return connected === true;
}

export function startEvents() {
  stopEvents();
  controller = new AbortController();
  run(controller.signal);
}

export function stopEvents() {
  controller?.abort();
  controller = null;
  connected = null;
}

function setConnected(value) {
  if (connected !== value) {
    connected = value;
    live.dispatchEvent(new CustomEvent('state', { detail: { live: value } }));
  }
}

async function run(signal) {
  let delay = 1000;
  let lastEventId = null;
  while (!signal.aborted) {
    try {
      const headers = { Accept: 'text/event-stream', Authorization: `Bearer ${session.token()}` };
      if (lastEventId) headers['Last-Event-ID'] = lastEventId;
      const response = await fetch('/api/v1/events', { headers, signal, cache: 'no-store' });
      if (response.status === 401) {
        window.dispatchEvent(new CustomEvent(UNAUTHORIZED));
        return;
      }
      if (response.ok && response.body) {
        setConnected(true);
        delay = 1000;
        await read(response.body, signal, (id) => { lastEventId = id; });
      }
    } catch (error) {
      if (signal.aborted) return;
    }
    setConnected(false);
    await sleep(delay + Math.random() * delay * 0.3, signal);
    delay = Math.min(delay * 2, 30000);
  }
}

/** Parses the text/event-stream format: fields until a blank line; lines starting with ':' are comments. */
async function read(body, signal, onId) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  signal.addEventListener('abort', () => reader.cancel().catch(() => {}), { once: true });
  let buffer = '';
  let event = { type: 'message', data: [], id: null };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop();
    for (const line of lines) {
      if (line === '') {
        if (event.data.length > 0) dispatch(event);
        if (event.id) onId(event.id);
        event = { type: 'message', data: [], id: null };
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const name = colon < 0 ? line : line.slice(0, colon);
      let fieldValue = colon < 0 ? '' : line.slice(colon + 1);
      if (fieldValue.startsWith(' ')) fieldValue = fieldValue.slice(1);
      if (name === 'event') event.type = fieldValue;
      else if (name === 'data') event.data.push(fieldValue);
      else if (name === 'id') event.id = fieldValue;
    }
  }
}

function dispatch(event) {
  let detail;
  try {
    detail = JSON.parse(event.data.join('\n'));
  } catch {
    return;
  }
  live.dispatchEvent(new CustomEvent(event.type, { detail }));
}

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}
