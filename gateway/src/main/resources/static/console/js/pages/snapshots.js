// Snapshots: the product page's list (source server and database, created, size, volume location, status) with
// filters and paging, live updates, and the "Take snapshot" form.
import { api, withQuery } from '../api.js';
import { replaceQuery } from '../app.js';
import { session } from '../session.js';
import { keepFresh, lookups } from '../refresh.js';
import { compressionFields, serverPicker, volumePicker, withLevel } from '../forms.js';
import { live } from '../events.js';
import {
  badge, busy, bytes, clear, field, formValues, h, inlineError, openDialog, select, showError, time, toast,
} from '../ui.js';

const STATUSES = ['PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'DELETING'];
const MOVING = new Set(['PENDING', 'RUNNING', 'DELETING']);
const PAGE_SIZE = 20;

export async function render(ctx) {
  const known = await lookups(api, ctx.signal);
  const filter = {
    serverId: ctx.query.get('serverId') ?? '',
    database: ctx.query.get('database') ?? '',
    status: ctx.query.get('status') ?? '',
    volumeId: ctx.query.get('volumeId') ?? '',
    page: Number(ctx.query.get('page') ?? 0),
  };
  let shown = [];

  const take = session.canOperate()
    ? h('button', { type: 'button', class: 'primary', onclick: () => takeSnapshot(known, reload) }, 'Take snapshot')
    : null;
  const tableArea = h('div');
  const pager = h('div', { class: 'pager' });
  const filters = filterForm(known, filter, () => {
    filter.page = 0;
    reload().catch((error) => showError(error, 'Loading snapshots'));
  });
  ctx.root.append(
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'Snapshots'), h('div', { class: 'actions' }, take)),
    filters, tableArea, pager);

  async function reload() {
    replaceQuery(filter);
    const result = await api.get(withQuery('/api/v1/snapshots', {
      serverId: filter.serverId, database: filter.database, status: filter.status, volumeId: filter.volumeId,
      page: filter.page, size: PAGE_SIZE,
    }), { signal: ctx.signal });
    shown = result.items;
    clear(tableArea, table(shown, known));
    clear(pager, pagerControls(result, filter, reload));
  }

  keepFresh(ctx, reload, { events: ['snapshot'], isMoving: () => shown.some((s) => MOVING.has(s.status)) });
  live.addEventListener('snapshot-progress', (event) => {
    const cell = tableArea.querySelector(`tr[data-snapshot-id="${CSS.escape(event.detail.snapshotId)}"] [data-col=size]`);
    if (cell) cell.textContent = `${bytes(event.detail.bytes)} so far`;
  }, { signal: ctx.signal });
  await reload();
}

function filterForm(known, filter, apply) {
  const server = serverPicker(known.servers, { all: true, value: filter.serverId });
  const volume = volumePicker(known.volumes, { all: true, value: filter.volumeId });
  const status = select('status', [['', 'Any status'], ...STATUSES.map((s) => [s, s])]);
  status.value = filter.status;
  const database = h('input', { type: 'text', name: 'database', value: filter.database, placeholder: 'exact name' });
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter snapshots' },
    server, field('Database', database), field('Status', status), volume,
    h('button', { type: 'submit' }, 'Filter'),
    h('button', { type: 'button', onclick: () => { form.querySelectorAll('select, input').forEach((c) => { c.value = ''; }); sync(); } }, 'Clear'));
  const sync = () => {
    const values = formValues(form);
    filter.serverId = values.serverId ?? '';
    filter.volumeId = values.volumeId ?? '';
    filter.status = values.status ?? '';
    filter.database = values.database ?? '';
    apply();
  };
  form.addEventListener('submit', (event) => { event.preventDefault(); sync(); });
  form.querySelectorAll('select').forEach((s) => s.addEventListener('change', sync));
  return form;
}

function table(items, known) {
  if (items.length === 0) {
    return h('div', { class: 'table-wrap' }, h('p', { class: 'empty' }, 'No snapshots match.'));
  }
  return h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'snapshots', 'aria-label': 'Snapshots, newest first' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Source server / database'), h('th', { scope: 'col' }, 'Created'),
      h('th', { scope: 'col', class: 'num' }, 'Size'), h('th', { scope: 'col' }, 'Volume location'),
      h('th', { scope: 'col' }, 'Status'))),
    h('tbody', {}, items.map((s) => row(s, known)))));
}

function row(s, known) {
  const volume = known.volume(s.volumeId);
  return h('tr', { 'data-snapshot-id': s.id, 'data-database': s.database },
    h('td', {}, h('a', { href: `#/snapshots/${s.id}`, 'aria-label': `Snapshot of ${s.serverName} / ${s.database}, ${s.createdAt}` },
      h('strong', {}, s.serverName), ' / ', s.database), s.locked ? h('span', { class: 'muted' }, ' 🔒') : null),
    h('td', {}, time(s.createdAt)),
    h('td', { class: 'num', 'data-col': 'size' }, bytes(s.sizeBytes)),
    h('td', {}, s.volumeName ?? volume?.name ?? '—', h('div', { class: 'muted mono' }, volume?.location ?? '')),
    h('td', { 'data-col': 'status' }, badge(s.status), s.queuedBehind ? h('div', { class: 'muted' }, `queued behind ${s.queuedBehind}`) : null));
}

export function pagerControls(result, filter, reload) {
  if (result.totalItems === 0) return [];
  const go = (page) => { filter.page = page; reload().catch((error) => showError(error, 'Loading')); };
  return [
    h('span', { class: 'muted' }, `Page ${result.page + 1} of ${Math.max(result.totalPages, 1)} · ${result.totalItems} in all`),
    h('button', { type: 'button', disabled: result.page <= 0, onclick: () => go(result.page - 1) }, '← Newer'),
    h('button', { type: 'button', disabled: result.page + 1 >= result.totalPages, onclick: () => go(result.page + 1) }, 'Older →'),
  ];
}

function takeSnapshot(known, reload) {
  if (known.servers.length === 0 || known.volumes.length === 0) {
    showError(new Error('Register a server and a volume first (Servers and Volumes pages).'), 'Taking a snapshot');
    return;
  }
  const errors = h('div');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Take snapshot');
  const form = h('form', {},
    errors,
    serverPicker(known.servers),
    field('Database', h('input', { type: 'text', name: 'database', required: true, autocomplete: 'off' })),
    volumePicker(known.volumes),
    compressionFields(),
    h('div', { class: 'form-actions' }, h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel'), submit));
  const dialog = openDialog('Take snapshot', form);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const snapshot = await busy(submit, () => api.post('/api/v1/snapshots', withLevel(formValues(form))));
      dialog.close();
      toast(`Snapshot of ${snapshot.database} requested.`);
      await reload();
    } catch (error) {
      inlineError(errors, error);
    }
  });
}
