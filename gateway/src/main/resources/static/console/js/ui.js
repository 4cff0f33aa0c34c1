// DOM building, formatting, alerts, toasts and dialogs shared by every page.
// Text always goes in as text nodes (never innerHTML), so names and error details from the API cannot inject markup.

/** h('a', {href: '#/x', class: 'button'}, 'text', child…): an element; on* attributes become listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key in el && typeof value !== 'string') {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : value);
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// ---------- formatting ----------

export function bytes(n) {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = Number(n);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

export function rate(bytesPerSecond) {
  return bytesPerSecond === null || bytesPerSecond === undefined ? '—' : `${bytes(bytesPerSecond)}/s`;
}

/** A <time> showing local date and time, the exact instant in its title. */
export function time(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return h('time', { datetime: iso, title: iso }, date.toLocaleString(undefined, {
    year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }));
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${(ms / 1000).toFixed(1)} s`;
  const h_ = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return h_ > 0 ? `${h_} h ${m} min` : `${m} min ${rest} s`;
}

export function eta(seconds) {
  if (seconds === null || seconds === undefined) return 'ETA unknown';
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return `ETA ${m}:${String(s % 60).padStart(2, '0')}`;
}

const TONES = {
  COMPLETED: 'ok', PASSED: 'ok', OK: 'ok', ENABLED: 'ok',
  FAILED: 'error', REJECTED: 'error', FAILING: 'error',
  RUNNING: 'info', IN_PROGRESS: 'info',
  DELETING: 'warn', MISSED: 'warn', PENDING: 'neutral', NEW: 'neutral', CANCELLED: 'neutral',
};

/** A status badge; the text stays the API's word (PENDING, IN_PROGRESS…) with underscores as spaces. */
export function badge(status, tone = TONES[status] ?? 'neutral') {
  return h('span', { class: `badge ${tone}`, 'data-status': status }, String(status ?? '—').replaceAll('_', ' '));
}

/** A progress bar for a job: role=progressbar with the percent, and a line with rate and ETA. */
export function progress({ percent = null, bytesPerSecond = null, etaSeconds = null, state = 'running', label = '' }) {
  const known = percent !== null && percent !== undefined;
  const value = known ? Math.max(0, Math.min(100, Math.round(percent))) : 0;
  const fill = h('div', { class: 'fill' });
  fill.style.width = `${value}%`;
  const parts = [known ? `${value}%` : 'starting…'];
  if (state === 'running') {
    if (bytesPerSecond !== null && bytesPerSecond !== undefined) parts.push(rate(bytesPerSecond));
    parts.push(eta(etaSeconds));
  }
  const attrs = { class: `bar`, role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-label': label || 'Progress' };
  if (known) attrs['aria-valuenow'] = String(value);
  return h('div', { class: `progress ${state === 'done' ? 'done' : state === 'failed' ? 'failed' : ''}`, 'data-testid': 'progress' },
    h('div', attrs, fill), h('div', { class: 'text' }, parts.join(' · ')));
}

// ---------- alerts and toasts ----------

/** Shows an API refusal (its problem details' detail) or any error in the page's alert area. */
export function showError(error, context) {
  const alerts = document.getElementById('alerts');
  const detail = error?.problem?.detail ?? error?.message ?? String(error);
  const title = error?.problem?.title ?? (context ? `${context} failed` : 'Something went wrong');
  const status = error?.status ? ` (${error.status})` : '';
  const box = h('div', { class: 'alert error', 'data-testid': 'alert' },
    h('div', { class: 'alert-text' }, h('strong', {}, title + status), detail),
    h('button', { type: 'button', class: 'small', 'aria-label': 'Dismiss', onclick: () => box.remove() }, '✕'));
  clear(alerts, box);
}

export function clearAlerts() {
  clear(document.getElementById('alerts'));
}

/** An inline error inside a dialog or form (role=alert, so screen readers hear it). */
export function inlineError(container, error) {
  const detail = error?.problem?.detail ?? error?.message ?? String(error);
  const title = error?.problem?.title ?? 'Refused';
  clear(container, h('div', { class: 'alert error', role: 'alert', 'data-testid': 'alert' },
    h('div', { class: 'alert-text' }, h('strong', {}, `${title}${error?.status ? ` (${error.status})` : ''}`), detail)));
}

export function toast(message) {
  const box = h('div', { class: 'toast' }, message);
  document.getElementById('toasts').append(box);
  setTimeout(() => box.remove(), 5000);
}

// ---------- dialogs ----------

/**
 * A modal <dialog>: showModal() traps focus and Escape closes it (the browser's own behaviour); focus goes to
 * the first field (or [autofocus]) and back to what opened it on close. The dialog is removed when closed.
 */
export function openDialog(title, ...content) {
  const opener = document.activeElement;
  const heading = h('h2', { id: `dlg-${crypto.randomUUID()}` }, title);
  const dialog = h('dialog', { 'aria-labelledby': heading.id },
    h('div', { class: 'dialog-head' }, heading,
      h('button', { type: 'button', class: 'close', 'aria-label': 'Close', onclick: () => dialog.close() }, '×')),
    h('div', { class: 'dialog-body' }, ...content));
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  const first = dialog.querySelector('[autofocus]')
    ?? dialog.querySelector('.dialog-body input:not([type=hidden]):not([disabled]), .dialog-body select, .dialog-body textarea, .dialog-body button');
  first?.focus();
  return dialog;
}

/** Asks a yes/no question; resolves true only when the confirming button is pressed. */
export function confirmDialog({ title, message, confirmLabel, danger = true }) {
  return new Promise((resolve) => {
    let confirmed = false;
    const cancel = h('button', { type: 'button', autofocus: true, onclick: () => dialog.close() }, 'Cancel');
    const ok = h('button', { type: 'button', class: danger ? 'danger' : 'primary', 'data-testid': 'confirm',
      onclick: () => { confirmed = true; dialog.close(); } }, confirmLabel);
    const dialog = openDialog(title, h('p', {}, message), h('div', { class: 'form-actions' }, cancel, ok));
    dialog.addEventListener('close', () => resolve(confirmed));
  });
}

// ---------- forms ----------

let fieldSeq = 0;

/** A labelled input/select: field('Database', h('input', {name: 'database', required: true}), 'hint'). */
export function field(label, control, hint) {
  const id = control.id || `f${++fieldSeq}`;
  control.id = id;
  const hintEl = hint ? h('div', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl);
}

export function select(name, options, attrs = {}) {
  return h('select', { name, ...attrs },
    options.map(([value, label]) => h('option', { value }, label)));
}

/** A form's named fields as an object; empty strings become absent. */
export function formValues(form) {
  const values = {};
  for (const [key, value] of new FormData(form).entries()) {
    if (typeof value === 'string' && value.trim() !== '') values[key] = value.trim();
  }
  return values;
}

/** Runs an async submit with the submit button disabled, so a double click sends one request. */
export async function busy(button, action) {
  button.disabled = true;
  try {
    return await action();
  } finally {
    button.disabled = false;
  }
}

/** Family of an engine type: a snapshot restores only into a server of the same family. */
export function family(type) {
  return type === 'postgresql' ? 'postgresql' : type === 'mysql' || type === 'mariadb' ? 'mysql' : type;
}

export function engineName(type) {
  return { postgresql: 'PostgreSQL', mysql: 'MySQL', mariadb: 'MariaDB' }[type] ?? type ?? '—';
}
