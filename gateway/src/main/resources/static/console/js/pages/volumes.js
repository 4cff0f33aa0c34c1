// Storage volumes: list, add (a local folder or an S3 bucket), test, delete (changes need the admin role).
import { api } from '../api.js';
import { session } from '../session.js';
import { createDialog, deleteButton } from '../forms.js';
import { busy, clear, field, h, select, showError, time, toast } from '../ui.js';

export async function render(ctx) {
  const admin = session.isAdmin();
  const tableArea = h('div');
  ctx.root.append(
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'Volumes'),
      h('div', { class: 'actions' }, admin ? h('button', { type: 'button', class: 'primary', onclick: add }, 'Add volume') : null)),
    tableArea);

  async function reload() {
    const volumes = await api.get('/api/v1/volumes', { signal: ctx.signal });
    clear(tableArea, volumes.length === 0
      ? h('div', { class: 'table-wrap' }, h('p', { class: 'empty' }, 'No volumes yet. Snapshots need one to be stored in.'))
      : h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'volumes' },
        h('thead', {}, h('tr', {}, ['Name', 'Type', 'Location', 'Added', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, volumes.map((v) => h('tr', { 'data-volume-id': v.id, 'data-name': v.name },
          h('td', {}, h('strong', {}, v.name)),
          h('td', {}, v.type === 's3' ? 'S3' : 'Local folder'),
          h('td', { class: 'mono' }, v.location,
            v.encryptionKeyId ? h('span', { class: 'badge', title: 'Objects are encrypted at rest (AES-256-GCM)' },
              ` encrypted · ${v.encryptionKeyId}`) : null),
          h('td', {}, time(v.createdAt)),
          h('td', { class: 'actions' }, admin ? [
            h('button', { type: 'button', class: 'small', onclick: (e) => test(e.currentTarget, v) }, 'Test'),
            deleteButton({
              title: 'Delete volume?', path: `/api/v1/volumes/${v.id}`, done: reload, doneMessage: `Volume ${v.name} deleted.`,
              message: `${v.name} (${v.location}) will no longer be available. Files already in it are not removed.`,
            }),
          ] : null)))))));
  }

  function add() {
    const type = select('type', [['local', 'Local folder'], ['s3', 'S3 bucket']]);
    const input = (name, attrs = {}) => h('input', { type: 'text', name, autocomplete: 'off', ...attrs });
    const local = h('div', {}, field('Folder', input('path', { placeholder: '/var/backups/databasement' }),
      'An absolute path on the storage-service machine.'));
    const s3 = h('div', {},
      field('Endpoint', input('endpoint', { placeholder: 'https://s3.eu-west-1.amazonaws.com' })),
      h('div', { class: 'row' }, field('Bucket', input('bucket')), field('Region', input('region', { placeholder: 'us-east-1' }))),
      h('div', { class: 'row' }, field('Access key', input('accessKey')),
        field('Secret key', h('input', { type: 'password', name: 'secretKey', autocomplete: 'new-password' }))),
      field('Prefix', input('prefix'), 'Optional folder inside the bucket.'),
      field('Public endpoint', input('publicEndpoint'), 'Optional: the address download links are signed for.'));
    const sync = () => {
      local.hidden = type.value !== 'local';
      s3.hidden = type.value !== 's3';
      local.querySelectorAll('input').forEach((i) => { i.disabled = local.hidden; i.required = !local.hidden; });
      s3.querySelectorAll('input').forEach((i) => { i.disabled = s3.hidden; });
      ['endpoint', 'bucket', 'accessKey', 'secretKey'].forEach((n) => { s3.querySelector(`[name=${n}]`).required = !s3.hidden; });
    };
    type.addEventListener('change', sync);
    sync();
    createDialog({
      title: 'Add volume',
      path: '/api/v1/volumes',
      fields: [field('Name', input('name', { required: true, maxlength: '100' })), field('Type', type), local, s3,
        field('Encryption key id', input('encryptionKeyId', { placeholder: 'local', maxlength: '63' }),
          'Optional: encrypt objects at rest with this key of storage-service (DBM_STORAGE_ENCRYPTION_KEYS_<ID>).')],
      done: async (volume) => {
        toast(`Volume ${volume.name} added.`);
        await reload();
      },
    });
  }

  async function test(button, volume) {
    try {
      const result = await busy(button, () => api.post(`/api/v1/volumes/${volume.id}/test`));
      if (result.ok) toast(`${volume.name}: ${result.message ?? 'reachable and writable'}.`);
      else showError(new Error(result.message), `Testing ${volume.name}`);
    } catch (error) {
      showError(error, `Testing ${volume.name}`);
    }
  }

  await reload();
}
