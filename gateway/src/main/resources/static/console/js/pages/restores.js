// Restores with live status: `restore` events reload the list, `restore-progress` events move each running
// restore's progress bar (percent, rate, ETA) in place.
import { api, withQuery } from '../api.js';
import { replaceQuery } from '../app.js';
import { live } from '../events.js';
import { keepFresh } from '../refresh.js';
import { pagerControls } from './snapshots.js';
import { session } from '../session.js';
import { badge, busy, clear, confirmDialog, duration, field, h, progress, select, showError, time, toast } from '../ui.js';

const STATUSES = ['PENDING', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'CANCELLED'];
const MOVING = new Set(['PENDING', 'IN_PROGRESS']);
const MODES = { SAME_DATABASE: 'Rollback', OTHER_DATABASE: 'Other database', CROSS_SERVER: 'Other server', VERIFY: 'Verification' };

export async function render(ctx) {
  const filter = { status: ctx.query.get('status') ?? '', page: Number(ctx.query.get('page') ?? 0) };
  const latest = new Map(); // restoreId → its last restore-progress event
  let shown = [];
  const tableArea = h('div');
  const pager = h('div', { class: 'pager' });
  const status = select('status', [['', 'Any status'], ...STATUSES.map((s) => [s, s.replace('_', ' ')])]);
  status.value = filter.status;
  status.addEventListener('change', () => {
    filter.status = status.value;
    filter.page = 0;
    reload().catch((error) => showError(error, 'Loading restores'));
  });
  ctx.root.append(
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'Restores')),
    h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter restores', onsubmit: (e) => e.preventDefault() },
      field('Status', status)),
    tableArea, pager);

  async function reload() {
    replaceQuery(filter);
    const result = await api.get(withQuery('/api/v1/restores', { status: filter.status, page: filter.page, size: 20 }),
      { signal: ctx.signal });
    shown = result.items;
    clear(tableArea, table(shown, latest, cancel));
    clear(pager, pagerControls(result, filter, reload));
  }

  async function cancel(restore, button) {
    const yes = await confirmDialog({
      title: 'Cancel restore?',
      message: `The restore into ${restore.targetServerName} / ${restore.targetDatabase} stops; its staging copy is `
        + 'dropped and the target stays as it is.',
      confirmLabel: 'Cancel restore',
    });
    if (!yes) return;
    try {
      await busy(button, () => api.post(`/api/v1/restores/${restore.id}/cancel`));
      toast('Cancel requested.');
      await reload();
    } catch (error) {
      showError(error, 'Cancelling');
    }
  }

  keepFresh(ctx, reload, { events: ['restore'], isMoving: () => shown.some((r) => MOVING.has(r.status)) });
  live.addEventListener('restore-progress', (event) => {
    const p = event.detail;
    latest.set(p.restoreId, p);
    const restore = shown.find((r) => r.id === p.restoreId);
    const cell = tableArea.querySelector(`tr[data-restore-id="${CSS.escape(p.restoreId)}"] [data-col=progress]`);
    if (restore && cell) {
      if (restore.status === 'PENDING') restore.status = 'IN_PROGRESS';
      clear(cell, progressOf(restore, p));
    }
  }, { signal: ctx.signal });
  await reload();
}

function table(items, latest, cancel) {
  if (items.length === 0) {
    return h('div', { class: 'table-wrap' }, h('p', { class: 'empty' }, 'No restores yet. Start one from a snapshot’s page.'));
  }
  return h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'restores' },
    h('thead', {}, h('tr', {},
      ['Requested', 'Snapshot', 'Target server / database', 'Mode', 'Status', 'Progress', 'Duration', 'Requested by', 'Actions']
        .map((title) => h('th', { scope: 'col' }, title)))),
    h('tbody', {}, items.map((r) => h('tr', { 'data-restore-id': r.id, 'data-database': r.targetDatabase },
      h('td', {}, time(r.createdAt)),
      h('td', {}, r.snapshotId
        ? h('a', { href: `#/snapshots/${r.snapshotId}`, class: 'mono' }, r.snapshotId.slice(0, 8))
        : h('span', { class: 'muted', title: 'The snapshot was deleted after this restore' }, 'deleted')),
      h('td', {}, h('strong', {}, r.targetServerName), ' / ', r.targetDatabase),
      h('td', {}, MODES[r.mode] ?? r.mode),
      h('td', { 'data-col': 'status' }, badge(r.status),
        r.error ? h('div', { class: 'muted' }, r.error) : null),
      h('td', { 'data-col': 'progress' }, progressOf(r, latest.get(r.id))),
      h('td', {}, duration(r.durationMs)),
      h('td', {}, r.requestedBy ?? '—'),
      h('td', {}, cancellable(r) && session.canOperate()
        ? h('button', { type: 'button', class: 'danger', onclick: (e) => cancel(r, e.currentTarget) }, 'Cancel')
        : r.cancelRequestedAt && MOVING.has(r.status) ? h('span', { class: 'muted' }, 'cancelling…') : null))))));
}

/** A restore can be cancelled until its worker starts replacing the target. */
function cancellable(r) {
  return MOVING.has(r.status) && !r.cancelRequestedAt && !r.swapping;
}

/** The bar for one restore: a progress event when one came, else what the restore's own view knows. */
function progressOf(r, event) {
  const label = `Restore into ${r.targetDatabase}`;
  if (r.status === 'COMPLETED') return progress({ percent: 100, state: 'done', label });
  if (r.status === 'PENDING' && !event) {
    return h('span', { class: 'muted' }, r.queuedBehind ? `queued behind ${r.queuedBehind}` : 'waiting for a worker');
  }
  const percent = event?.percent
    ?? (r.totalBytes ? (100 * (r.bytesSoFar ?? 0)) / r.totalBytes : null);
  return progress({
    percent, bytesPerSecond: event?.bytesPerSecond ?? null, etaSeconds: event?.etaSeconds ?? null,
    state: r.status === 'FAILED' || r.status === 'CANCELLED' ? 'failed' : 'running', label,
  });
}
