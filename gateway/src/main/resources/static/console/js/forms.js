// Form pieces used by more than one page: the server and volume pickers and the compression options.
import { api } from './api.js';
import {
  busy, confirmDialog, engineName, field, formValues, h, inlineError, openDialog, select, showError, toast,
} from './ui.js';

const LEVELS = { zstd: [1, 19, 3], gzip: [1, 9, 6] };

export function serverPicker(servers, { name = 'serverId', label = 'Server', all = false, value } = {}) {
  const options = servers.map((s) => [s.id, `${s.name} (${engineName(s.type)}, ${s.host}:${s.port})`]);
  const control = select(name, all ? [['', 'All servers'], ...options] : options, { required: !all });
  if (value) control.value = value;
  return field(label, control);
}

export function volumePicker(volumes, { name = 'volumeId', label = 'Volume', all = false, value } = {}) {
  const options = volumes.map((v) => [v.id, `${v.name} (${v.type}: ${v.location})`]);
  const control = select(name, all ? [['', 'All volumes'], ...options] : options, { required: !all });
  if (value) control.value = value;
  return field(label, control);
}

/** Compression and its level, as POST /snapshots and schedules take them; the level's bounds follow the choice. */
export function compressionFields() {
  const compression = select('compression', [['zstd', 'zstd (default)'], ['gzip', 'gzip'], ['none', 'none']]);
  const level = h('input', { type: 'number', name: 'compressionLevel', min: '1', max: '19', placeholder: '3' });
  const levelField = field('Compression level', level, 'Empty: the default level.');
  const sync = () => {
    const bounds = LEVELS[compression.value];
    levelField.hidden = !bounds;
    level.disabled = !bounds;
    if (bounds) {
      [level.min, level.max, level.placeholder] = bounds.map(String);
      levelField.querySelector('.hint').textContent = `${bounds[0]}–${bounds[1]}; empty: ${bounds[2]}.`;
    }
  };
  compression.addEventListener('change', sync);
  sync();
  return h('div', { class: 'row' }, field('Compression', compression), levelField);
}

/** compressionLevel from the form as a number (absent stays absent). */
export function withLevel(values) {
  if (values.compressionLevel !== undefined) values.compressionLevel = Number(values.compressionLevel);
  return values;
}

/** A row's delete (or revoke) button: asks in a confirmation dialog, then DELETEs and reloads. */
export function deleteButton({ label = 'Delete', title, message, path, doneMessage = 'Deleted.', done }) {
  return h('button', {
    type: 'button', class: 'small danger', onclick: async () => {
      if (!await confirmDialog({ title, message, confirmLabel: label })) return;
      try {
        await api.del(path);
        toast(doneMessage);
        await done();
      } catch (error) {
        showError(error, label);
      }
    },
  }, label);
}

/** A dialog with a form: submit POSTs formValues (shaped by toBody) and calls done(created); refusals show inline. */
export function createDialog({ title, fields, submitLabel = 'Create', path, toBody = (v) => v, done }) {
  const errors = h('div');
  const submit = h('button', { type: 'submit', class: 'primary' }, submitLabel);
  const form = h('form', {}, errors, fields,
    h('div', { class: 'form-actions' }, h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel'), submit));
  const dialog = openDialog(title, form);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const created = await busy(submit, () => api.post(path, toBody(formValues(form), form)));
      dialog.close();
      await done(created);
    } catch (error) {
      inlineError(errors, error);
    }
  });
  return dialog;
}
