// Database servers: list, register, test the connection, delete (changes need the admin role).
import { api } from '../api.js';
import { session } from '../session.js';
import { createDialog, deleteButton } from '../forms.js';
import { busy, clear, engineName, field, h, select, showError, time, toast } from '../ui.js';

const DEFAULT_PORTS = { postgresql: '5432', mariadb: '3306', mysql: '3306' };

export async function render(ctx) {
  const admin = session.isAdmin();
  const tableArea = h('div');
  ctx.root.append(
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'Servers'),
      h('div', { class: 'actions' }, admin ? h('button', { type: 'button', class: 'primary', onclick: add }, 'Add server') : null)),
    tableArea);

  async function reload() {
    const servers = await api.get('/api/v1/servers', { signal: ctx.signal });
    clear(tableArea, servers.length === 0
      ? h('div', { class: 'table-wrap' }, h('p', { class: 'empty' }, 'No servers registered yet.'))
      : h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'servers' },
        h('thead', {}, h('tr', {}, ['Name', 'Engine', 'Address', 'User', 'Password', 'Registered', '']
          .map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, servers.map((s) => h('tr', { 'data-server-id': s.id, 'data-name': s.name },
          h('td', {}, h('strong', {}, s.name)),
          h('td', {}, engineName(s.type)),
          h('td', { class: 'mono' }, `${s.host}:${s.port}`),
          h('td', {}, s.username),
          h('td', {}, s.hasPassword ? 'set' : 'none'),
          h('td', {}, time(s.createdAt)),
          h('td', { class: 'actions' }, admin ? [
            h('button', { type: 'button', class: 'small', onclick: (e) => test(e.currentTarget, s) }, 'Test connection'),
            deleteButton({
              title: 'Delete server?', path: `/api/v1/servers/${s.id}`, done: reload, doneMessage: `Server ${s.name} deleted.`,
              message: `${s.name} (${s.host}:${s.port}) will no longer be available for snapshots and restores. `
                + 'Its existing snapshots stay.',
            }),
          ] : null)))))));
  }

  function add() {
    const type = select('type', [['postgresql', 'PostgreSQL'], ['mariadb', 'MariaDB'], ['mysql', 'MySQL']]);
    const port = h('input', { type: 'number', name: 'port', min: '1', max: '65535', required: true, value: '5432' });
    type.addEventListener('change', () => { port.value = DEFAULT_PORTS[type.value]; });
    createDialog({
      title: 'Add server',
      path: '/api/v1/servers',
      fields: [
        field('Name', h('input', { type: 'text', name: 'name', required: true, maxlength: '100', autocomplete: 'off' })),
        field('Engine', type),
        h('div', { class: 'row' },
          field('Host', h('input', { type: 'text', name: 'host', required: true, autocomplete: 'off', placeholder: 'db.example.com' })),
          field('Port', port)),
        field('User', h('input', { type: 'text', name: 'username', required: true, autocomplete: 'off' })),
        field('Password', h('input', { type: 'password', name: 'password', autocomplete: 'new-password' }),
          'Stored sealed; never shown again. Leave empty for none.'),
      ],
      toBody: (v) => ({ ...v, port: Number(v.port) }),
      done: async (server) => {
        toast(`Server ${server.name} added.`);
        await reload();
      },
    });
  }

  async function test(button, server) {
    try {
      const result = await busy(button, () => api.post(`/api/v1/servers/${server.id}/test`));
      if (result.ok) toast(`${server.name}: connected, ${engineName(result.databaseType)} ${result.version}.`);
      else showError(new Error(result.reason), `Connecting to ${server.name}`);
    } catch (error) {
      showError(error, `Testing ${server.name}`);
    }
  }

  await reload();
}
