// The restore dialog: the product page's three ways (the original database, another database on the same
// server, another server), mapped onto POST /api/v1/restores {snapshotId, targetServerId, targetDatabase,
// confirmOverwrite}. Only servers of the snapshot's engine family are offered (PostgreSQL↔PostgreSQL,
// MySQL↔MariaDB); overwriting needs the product page's warning acknowledged.
import { api, ApiError } from '../api.js';
import { navigate } from '../app.js';
import { busy, clear, engineName, family, field, h, inlineError, openDialog, select, toast } from '../ui.js';

export const OVERWRITE_WARNING = 'This will overwrite all current data in the target database!';

export function restoreDialog(snapshot, known) {
  const source = known.server(snapshot.serverId);
  const sourceFamily = family(source?.type ?? snapshot.databaseType);
  const others = known.servers.filter((s) => s.id !== snapshot.serverId && family(s.type) === sourceFamily);

  const errors = h('div');
  const mode = (value, label, hint, disabled = false) => h('div', { class: 'choice' },
    h('input', { type: 'radio', name: 'mode', id: `mode-${value}`, value, disabled, 'aria-describedby': `mode-${value}-hint` }),
    h('label', { for: `mode-${value}` }, h('strong', {}, label), h('div', { class: 'hint muted', id: `mode-${value}-hint` }, hint)));
  const modes = h('fieldset', {}, h('legend', {}, 'Restore to'),
    mode('same', 'The original database (rollback)', `${snapshot.serverName} / ${snapshot.database}: its current data is replaced.`),
    mode('other-db', 'Another database on the same server', `A database of your choice on ${snapshot.serverName}.`),
    mode('other-server', 'Another server', others.length
      ? `A ${sourceFamily === 'postgresql' ? 'PostgreSQL' : 'MySQL or MariaDB'} server: backups restore only within their engine family.`
      : `No other ${sourceFamily === 'postgresql' ? 'PostgreSQL' : 'MySQL or MariaDB'} server is registered.`, others.length === 0));

  const target = h('div');
  const database = h('input', { type: 'text', name: 'targetDatabase', autocomplete: 'off', required: true });
  const server = select('targetServerId', others.map((s) => [s.id, `${s.name} (${engineName(s.type)}, ${s.host}:${s.port})`]));
  const confirm = h('input', { type: 'checkbox', name: 'confirmOverwrite', id: 'confirm-overwrite' });
  const confirmText = h('span');
  const overwrite = h('div', { class: 'alert warning' },
    h('div', { class: 'alert-text' },
      h('strong', {}, OVERWRITE_WARNING),
      h('div', { class: 'choice' }, confirm, h('label', { for: 'confirm-overwrite' }, confirmText))));
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Start Restore');
  const form = h('form', {}, errors, modes, target, overwrite,
    h('div', { class: 'form-actions' }, h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel'), submit));

  const chosen = () => form.querySelector('input[name=mode]:checked')?.value;
  const update = () => {
    const value = chosen();
    if (value === 'same') {
      clear(target, h('p', {}, 'Target: ', h('strong', {}, `${snapshot.serverName} / ${snapshot.database}`)));
      confirm.required = true;
      confirmText.textContent = `I understand: the current data in ${snapshot.database} on ${snapshot.serverName} will be replaced by this snapshot.`;
    } else {
      if (!database.value) database.value = value === 'other-server' ? snapshot.database : '';
      clear(target, value === 'other-server' ? field('Target server', server) : null,
        field('Target database', database, 'A new database is created; an existing one is only replaced if you confirm below.'));
      confirm.required = false;
      confirmText.textContent = 'If this database already exists, overwrite it.';
    }
  };
  modes.addEventListener('change', update);
  form.querySelector('#mode-other-db').checked = true;
  update();

  const dialog = openDialog(`Restore ${snapshot.serverName} / ${snapshot.database}`, form);
  form.querySelector('#mode-other-db').focus();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const same = chosen() === 'same';
    const body = {
      snapshotId: snapshot.id,
      targetServerId: chosen() === 'other-server' ? server.value : snapshot.serverId,
      targetDatabase: same ? snapshot.database : database.value.trim(),
      confirmOverwrite: confirm.checked,
    };
    try {
      const restore = await busy(submit, () => api.post('/api/v1/restores', body));
      dialog.close();
      toast(`Restore into ${restore.targetServerName} / ${restore.targetDatabase} started.`);
      navigate('#/restores');
    } catch (error) {
      inlineError(errors, error);
      if (error instanceof ApiError && error.status === 409) confirm.focus();
    }
  });
}
