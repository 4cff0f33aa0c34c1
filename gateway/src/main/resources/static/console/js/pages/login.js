// The login screen: paste an API token, checked with GET /api/v1/me.
import { session } from '../session.js';
import { busy, h, inlineError } from '../ui.js';

export function renderLogin(root, { message, onSignedIn }) {
  const errors = h('div');
  const input = h('input', {
    type: 'password', name: 'token', id: 'token', required: true, autocomplete: 'off', spellcheck: 'false',
    placeholder: 'dbm_…', 'aria-describedby': 'token-hint',
  });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', { class: 'login', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title', tabindex: '-1' }, 'Sign in to Databasement'),
    message ? h('div', { class: 'alert info', role: 'status' }, message) : null,
    errors,
    h('div', { class: 'field' },
      h('label', { for: 'token' }, 'API token'),
      input,
      h('div', { class: 'hint', id: 'token-hint' },
        'Paste a token from your administrator (or the DBM_ADMIN_TOKEN the gateway was started with). ',
        'It is kept in this browser tab only, until you log out or close the tab.')),
    h('div', { class: 'form-actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    try {
      await busy(submit, () => session.signIn(token));
      onSignedIn();
    } catch (error) {
      inlineError(errors, error);
      input.select();
      input.focus();
    }
  });
  root.append(form);
  input.focus();
}
