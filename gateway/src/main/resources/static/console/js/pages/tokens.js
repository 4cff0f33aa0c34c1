// API tokens (admin): list, create (the secret is shown once, with a copy button), revoke.
import { api } from '../api.js';
import { session } from '../session.js';
import { createDialog, deleteButton } from '../forms.js';
import { badge, clear, field, h, openDialog, select, time, toast } from '../ui.js';

export async function render(ctx) {
  const tableArea = h('div');
  ctx.root.append(
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'API tokens'),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', onclick: add }, 'New token'))),
    h('p', { class: 'muted' }, 'Viewers read everything but tokens; operators also take snapshots, restore and run schedules; ',
      'admins also manage servers, volumes and tokens.'),
    tableArea);

  async function reload() {
    const tokens = await api.get('/api/v1/tokens', { signal: ctx.signal });
    clear(tableArea, tokens.length === 0
      ? h('div', { class: 'table-wrap' }, h('p', { class: 'empty' }, 'No tokens yet besides the initial admin token.'))
      : h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'tokens' },
        h('thead', {}, h('tr', {}, ['Name', 'Role', 'Prefix', 'Created', 'Expires', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, tokens.map((t) => h('tr', { 'data-token-id': t.id, 'data-name': t.name },
          h('td', {}, h('strong', {}, t.name), t.id === session.me()?.tokenId ? h('span', { class: 'muted' }, ' (this session)') : null),
          h('td', {}, badge(String(t.role).toUpperCase(), 'info')),
          h('td', { class: 'mono' }, t.prefix ?? '—'),
          h('td', {}, time(t.createdAt)),
          h('td', {}, t.expiresAt ? time(t.expiresAt) : 'never'),
          h('td', { class: 'actions' }, deleteButton({
            label: 'Revoke', title: 'Revoke token?', path: `/api/v1/tokens/${t.id}`, done: reload,
            doneMessage: `Token ${t.name} revoked.`,
            message: `Programs using ${t.name} will be refused from now on. This cannot be undone.`,
          }))))))));
  }

  function add() {
    createDialog({
      title: 'New token',
      path: '/api/v1/tokens',
      fields: [
        field('Name', h('input', { type: 'text', name: 'name', required: true, maxlength: '100', autocomplete: 'off' }),
          'Who or what uses it, e.g. "ci-backups". Shown in the audit trail.'),
        field('Role', select('role', [['viewer', 'viewer'], ['operator', 'operator'], ['admin', 'admin']])),
        field('Expires', h('input', { type: 'datetime-local', name: 'expiresAt' }), 'Optional; local time.'),
      ],
      toBody: (v) => ({ ...v, expiresAt: v.expiresAt ? new Date(v.expiresAt).toISOString() : undefined }),
      done: async (created) => {
        await reload();
        showSecret(created);
      },
    });
  }

  function showSecret(created) {
    const code = h('code', { 'data-testid': 'secret' }, created.token);
    const copy = h('button', {
      type: 'button', onclick: async () => {
        try {
          await navigator.clipboard.writeText(created.token);
          toast('Token copied.');
        } catch {
          getSelection().selectAllChildren(code);
          toast('Copying is not allowed here: the token is selected, press Ctrl+C.');
        }
      },
    }, 'Copy');
    const dialog = openDialog(`Token ${created.name} created`,
      h('div', { class: 'alert warning' }, h('div', { class: 'alert-text' },
        h('strong', {}, 'Copy it now: it is shown only once.'), 'The gateway keeps only a hash of it.')),
      h('div', { class: 'secret' }, code, copy),
      h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'primary', onclick: () => dialog.close() }, 'Done')));
    copy.focus();
  }

  await reload();
}
