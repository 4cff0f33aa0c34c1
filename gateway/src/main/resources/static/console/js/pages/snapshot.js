// One snapshot: every detail of the product page (full path, creation time and duration, database type and
// version, compression ratio, checksum) plus verification and lock state; restore, verify, lock/unlock,
// download and delete.
import { api, ApiError } from '../api.js';
import { navigate } from '../app.js';
import { session } from '../session.js';
import { keepFresh, lookups } from '../refresh.js';
import { live } from '../events.js';
import { restoreDialog } from './restore-dialog.js';
import {
  badge, busy, bytes, clear, confirmDialog, duration, engineName, h, showError, time, toast,
} from '../ui.js';

const MOVING = new Set(['PENDING', 'RUNNING', 'DELETING']);

export async function render(ctx) {
  const id = ctx.params[0];
  const known = await lookups(api, ctx.signal);
  const body = h('div');
  let snapshot = null;
  ctx.root.append(h('a', { href: '#/snapshots', class: 'back' }, '← All snapshots'), body);

  async function reload() {
    try {
      snapshot = await api.get(`/api/v1/snapshots/${id}`, { signal: ctx.signal });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        snapshot = null;
        clear(body, h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'Snapshot not found')),
          h('p', {}, 'This snapshot does not exist (any more): it may have been deleted.'));
        return;
      }
      throw error;
    }
    draw();
  }

  function draw() {
    const s = snapshot;
    clear(body,
      h('div', { class: 'page-head' },
        h('h1', { tabindex: '-1' }, `${s.serverName} / ${s.database}`), badge(s.status),
        s.locked ? h('span', { class: 'badge warn' }, 'LOCKED') : null,
        h('div', { class: 'actions' }, actions(s))),
      s.error ? h('div', { class: 'alert error' }, h('div', { class: 'alert-text' }, h('strong', {}, 'Error'), s.error)) : null,
      h('div', { class: 'cards' },
        h('section', { class: 'card', 'aria-labelledby': 'h-snap' }, h('h2', { id: 'h-snap' }, 'Snapshot'),
          props([
            ['Status', badge(s.status)],
            ['Source', `${s.serverName} / ${s.database}`],
            ['Full path', h('code', { 'data-testid': 'path' }, s.path ?? '—')],
            ['Volume', s.volumeName ?? '—'],
            ['Created', time(s.createdAt)],
            ['Started', time(s.startedAt)],
            ['Completed', time(s.completedAt)],
            ['Duration', duration(s.durationMs)],
            ['Database', s.databaseType ? `${engineName(s.databaseType)} ${s.databaseVersion ?? ''}` : '—'],
            ['Tables / rows', s.tableCount === null ? '—' : `${s.tableCount} tables, ${s.rowCount} rows`],
            s.queuedBehind ? ['Queued behind', s.queuedBehind] : null,
            s.scheduleId ? ['Schedule', h('a', { href: '#/schedules' }, 'made by a schedule')] : ['Schedule', 'taken by hand'],
          ])),
        h('section', { class: 'card', 'aria-labelledby': 'h-file' }, h('h2', { id: 'h-file' }, 'File'),
          props([
            ['Size', bytes(s.sizeBytes)],
            ['Uncompressed', s.status === 'RUNNING' && s.bytesSoFar !== null ? `${bytes(s.bytesSoFar)} so far` : bytes(s.rawSizeBytes)],
            ['Compression', s.compression ? `${s.compression}${s.compression !== 'none' ? ` level ${s.compressionLevel}` : ''}` : '—'],
            ['Compression ratio', s.compressionRatio === null ? '—' : `${s.compressionRatio} : 1`],
            ['Checksum (SHA-256)', h('code', { 'data-testid': 'checksum' }, s.sha256 ?? '—')],
            ['Lock', s.locked ? 'Locked: never deleted, by hand or by retention' : 'Not locked'],
            s.status === 'DELETING' ? ['Deletion', `${s.deletionReason ?? ''} (asked ${new Date(s.deletionRequestedAt).toLocaleString()}, ${s.deletionAttempts ?? 0} attempts)`] : null,
          ])),
        verification(s)));
  }

  function actions(s) {
    const done = s.status === 'COMPLETED';
    const operate = session.canOperate();
    return [
      operate && (s.status === 'PENDING' || s.status === 'RUNNING')
        ? h('button', { type: 'button', class: 'danger', disabled: Boolean(s.cancelRequestedAt),
          title: s.cancelRequestedAt ? 'Cancelling: its worker is stopping it' : null,
          onclick: (e) => cancel(e.currentTarget) }, s.cancelRequestedAt ? 'Cancelling…' : 'Cancel snapshot') : null,
      operate && done ? h('button', { type: 'button', class: 'primary', onclick: () => restoreDialog(s, known) }, 'Restore') : null,
      operate && done ? h('button', { type: 'button', onclick: (e) => verify(e.currentTarget) }, 'Verify') : null,
      operate && (done || s.status === 'FAILED')
        ? h('button', { type: 'button', onclick: (e) => lock(e.currentTarget, !s.locked) }, s.locked ? 'Unlock' : 'Lock') : null,
      done ? h('button', { type: 'button', onclick: (e) => download(e.currentTarget) }, 'Download') : null,
      operate && s.status !== 'DELETING' && !MOVING.has(s.status)
        ? h('button', { type: 'button', class: 'danger', disabled: s.locked, title: s.locked ? 'Unlock it first' : null,
          onclick: () => remove() }, 'Delete') : null,
    ];
  }

  async function cancel(button) {
    const yes = await confirmDialog({
      title: 'Cancel snapshot?',
      message: `The dump of ${snapshot.serverName} / ${snapshot.database} stops and its partial file is removed.`,
      confirmLabel: 'Cancel snapshot',
    });
    if (!yes) return;
    try {
      snapshot = await busy(button, () => api.post(`/api/v1/snapshots/${id}/cancel`));
      toast('Cancel requested.');
      draw();
    } catch (error) {
      showError(error, 'Cancelling');
    }
  }

  async function verify(button) {
    try {
      await busy(button, () => api.post(`/api/v1/snapshots/${id}/verify`));
      toast('Verification started: a scratch restore and a table-by-table comparison.');
      await reload();
    } catch (error) {
      showError(error, 'Verification');
    }
  }

  async function lock(button, locked) {
    try {
      snapshot = await busy(button, () => api.post(`/api/v1/snapshots/${id}/${locked ? 'lock' : 'unlock'}`));
      toast(locked ? 'Snapshot locked.' : 'Snapshot unlocked.');
      draw();
    } catch (error) {
      showError(error, locked ? 'Locking' : 'Unlocking');
    }
  }

  async function download(button) {
    try {
      await busy(button, () => save(id));
    } catch (error) {
      showError(error, 'Download');
    }
  }

  async function remove() {
    const s = snapshot;
    const yes = await confirmDialog({
      title: 'Delete snapshot?',
      message: `The snapshot of ${s.serverName} / ${s.database} taken ${new Date(s.createdAt).toLocaleString()} and its file `
        + `in ${s.volumeName ?? 'its volume'} will be removed. This cannot be undone.`,
      confirmLabel: 'Delete snapshot',
    });
    if (!yes) return;
    try {
      await api.del(`/api/v1/snapshots/${id}`);
      toast('Deletion requested: the snapshot goes once its file is removed from storage.');
      navigate('#/snapshots');
    } catch (error) {
      showError(error, 'Deletion');
    }
  }

  keepFresh(ctx, reload, { events: [], isMoving: () => snapshot && MOVING.has(snapshot.status) });
  for (const type of ['snapshot', 'snapshot-progress']) {
    live.addEventListener(type, (event) => {
      if (event.detail.snapshotId === id) reload().catch(() => {});
    }, { signal: ctx.signal });
  }
  await reload();
}

function props(entries) {
  return h('dl', { class: 'props' }, entries.filter(Boolean).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function verification(s) {
  const v = s.verification;
  const content = !v ? [h('p', { class: 'muted' }, 'Never verified. Verify restores a scratch copy and compares every table with the dump.')]
    : [props([
      ['Result', badge(v.status)],
      ['When', time(v.verifiedAt)],
      ['Duration', duration(v.durationMs)],
      ['Restored on', v.verifiedOn ?? '—'],
      ['Compared', v.tablesCompared === null ? '—' : `${v.tablesCompared} tables, ${v.rowsCompared} rows`],
      v.error ? ['Error', v.error] : null,
    ]),
    v.mismatches?.length ? h('ul', {}, v.mismatches.map((m) => h('li', {}, JSON.stringify(m)))) : null];
  return h('section', { class: 'card', 'aria-labelledby': 'h-verify' }, h('h2', { id: 'h-verify' }, 'Verification'), content);
}

/**
 * Downloads the file. The download URL says where: a presigned S3 URL carries its own authorization, so the
 * browser goes there directly; a local volume's file streams through the gateway, which wants the Bearer
 * header a plain link cannot send, so it is fetched and saved from memory.
 */
async function save(id) {
  const target = await api.get(`/api/v1/snapshots/${id}/download-url`);
  if (/^https?:\/\//i.test(target.url)) {
    window.location.assign(target.url);
    return;
  }
  const response = await fetch(target.url, { headers: { Authorization: `Bearer ${session.token()}` } });
  if (!response.ok) {
    throw new ApiError(response.status, await response.json().catch(() => ({ title: `HTTP ${response.status}` })));
  }
  const url = URL.createObjectURL(await response.blob());
  const link = h('a', { href: url, download: target.fileName ?? `snapshot-${id}` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
