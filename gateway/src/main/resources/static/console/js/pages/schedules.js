// Schedules: list with health, create (cron, retention, verification, webhook), run now, delete (operator role).
import { api } from '../api.js';
import { session } from '../session.js';
import { keepFresh, lookups } from '../refresh.js';
import { compressionFields, createDialog, deleteButton, serverPicker, volumePicker, withLevel } from '../forms.js';
import { badge, busy, clear, field, h, select, showError, time, toast } from '../ui.js';

export async function render(ctx) {
  const known = await lookups(api, ctx.signal);
  const operate = session.canOperate();
  const tableArea = h('div');
  ctx.root.append(
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'Schedules'),
      h('div', { class: 'actions' }, operate ? h('button', { type: 'button', class: 'primary', onclick: add }, 'New schedule') : null)),
    tableArea);

  async function reload() {
    const schedules = await api.get('/api/v1/schedules', { signal: ctx.signal });
    clear(tableArea, schedules.length === 0
      ? h('div', { class: 'table-wrap' }, h('p', { class: 'empty' }, 'No schedules yet.'))
      : h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'schedules' },
        h('thead', {}, h('tr', {}, ['Name', 'Server / databases', 'Volume', 'When', 'Retention', 'Health', 'Next run', 'Last completed', '']
          .map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, schedules.map((s) => h('tr', { 'data-schedule-id': s.id, 'data-name': s.name },
          h('td', {}, h('strong', {}, s.name), s.enabled ? null : h('div', {}, badge('DISABLED', 'neutral')),
            s.verify ? h('div', { class: 'muted' }, 'verifies each snapshot') : null),
          h('td', {}, known.server(s.serverId)?.name ?? '(deleted server)', ' / ', s.databases.join(', ')),
          h('td', {}, known.volume(s.volumeId)?.name ?? '(deleted volume)'),
          h('td', {}, h('code', {}, s.cron), h('div', { class: 'muted' }, s.timeZone)),
          h('td', {}, retention(s.retention)),
          h('td', {}, badge(s.health), s.missedSince ? h('div', { class: 'muted' }, 'since ', time(s.missedSince)) : null),
          h('td', {}, time(s.nextFireAt)),
          h('td', {}, time(s.lastCompletedAt)),
          h('td', { class: 'actions' }, operate ? [
            h('button', { type: 'button', class: 'small', onclick: (e) => run(e.currentTarget, s) }, 'Run now'),
            deleteButton({
              title: 'Delete schedule?', path: `/api/v1/schedules/${s.id}`, done: reload, doneMessage: `Schedule ${s.name} deleted.`,
              message: `${s.name} will take no more snapshots. The snapshots it took stay.`,
            }),
          ] : null)))))));
  }

  function add() {
    if (known.servers.length === 0 || known.volumes.length === 0) {
      showError(new Error('Register a server and a volume first.'), 'Creating a schedule');
      return;
    }
    const kind = select('retentionType', [['', 'Keep everything'], ['KEEP_LAST', 'Keep the last N'], ['KEEP_DAYS', 'Keep N days'], ['GFS', 'Grandfather-father-son']]);
    const number = (name, label) => field(label, h('input', { type: 'number', name, min: '0', max: '10000' }));
    const last = h('div', {}, number('count', 'Snapshots to keep'));
    const days = h('div', {}, number('days', 'Days to keep'));
    const gfs = h('div', { class: 'row' }, number('daily', 'Daily'), number('weekly', 'Weekly'), number('monthly', 'Monthly'), number('yearly', 'Yearly'));
    const sync = () => {
      for (const [el, type] of [[last, 'KEEP_LAST'], [days, 'KEEP_DAYS'], [gfs, 'GFS']]) {
        el.hidden = kind.value !== type;
        el.querySelectorAll('input').forEach((i) => { i.disabled = el.hidden; });
      }
    };
    kind.addEventListener('change', sync);
    sync();
    const check = (name, label, checked) => h('div', { class: 'choice' },
      h('input', { type: 'checkbox', name, id: `sch-${name}`, value: 'true', checked }), h('label', { for: `sch-${name}` }, label));
    createDialog({
      title: 'New schedule',
      path: '/api/v1/schedules',
      fields: [
        field('Name', h('input', { type: 'text', name: 'name', required: true, maxlength: '100', autocomplete: 'off' })),
        serverPicker(known.servers),
        field('Databases', h('input', { type: 'text', name: 'databases', required: true, autocomplete: 'off' }), 'One or more, separated by commas.'),
        volumePicker(known.volumes),
        h('div', { class: 'row' },
          field('Cron', h('input', { type: 'text', name: 'cron', required: true, placeholder: '0 2 * * *' }), '5-field cron, 6-field with seconds, or @daily.'),
          field('Time zone', h('input', { type: 'text', name: 'timeZone', placeholder: 'UTC' }))),
        compressionFields(),
        field('Retention', kind), last, days, gfs,
        check('verify', 'Verify each snapshot (scratch restore and comparison)', false),
        field('Grace minutes', h('input', { type: 'number', name: 'graceMinutes', min: '1', max: '10080', placeholder: '30' }),
          'How late a backup may be before the schedule counts as missed.'),
        field('Webhook URL', h('input', { type: 'url', name: 'webhookUrl', placeholder: 'https://…' }), 'Told about missed backups and failures.'),
        check('enabled', 'Enabled', true),
      ],
      toBody: (v, form) => {
        const body = withLevel({
          name: v.name, serverId: v.serverId, volumeId: v.volumeId, cron: v.cron, timeZone: v.timeZone,
          databases: v.databases.split(',').map((d) => d.trim()).filter(Boolean),
          compression: v.compression, compressionLevel: v.compressionLevel, webhookUrl: v.webhookUrl,
          verify: form.elements.verify.checked, enabled: form.elements.enabled.checked,
          graceMinutes: v.graceMinutes === undefined ? undefined : Number(v.graceMinutes),
        });
        if (v.retentionType) {
          body.retention = { type: v.retentionType };
          for (const key of ['count', 'days', 'daily', 'weekly', 'monthly', 'yearly']) {
            if (v[key] !== undefined) body.retention[key] = Number(v[key]);
          }
        }
        return body;
      },
      done: async (schedule) => {
        toast(`Schedule ${schedule.name} created.`);
        await reload();
      },
    });
  }

  async function run(button, schedule) {
    try {
      const result = await busy(button, () => api.post(`/api/v1/schedules/${schedule.id}/run`));
      toast(`${schedule.name}: ${result.snapshotIds.length} snapshot(s) requested.`);
    } catch (error) {
      showError(error, `Running ${schedule.name}`);
    }
  }

  keepFresh(ctx, reload, { events: ['snapshot'] });
  await reload();
}

function retention(r) {
  if (!r) return 'keep everything';
  switch (String(r.type).toUpperCase()) {
    case 'KEEP_LAST': return `last ${r.count}`;
    case 'KEEP_DAYS': return `${r.days} days`;
    case 'GFS': return `${r.daily ?? 0} daily, ${r.weekly ?? 0} weekly, ${r.monthly ?? 0} monthly, ${r.yearly ?? 0} yearly`;
    default: return JSON.stringify(r);
  }
}
