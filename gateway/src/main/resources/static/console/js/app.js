// The console's shell: sign-in, the hash router (#/snapshots, #/snapshots/<id>, #/restores, …) and the header.
// Pages are loaded on first visit (dynamic import), so opening the console fetches only the shell.
import { session } from './session.js';
import { UNAUTHORIZED } from './api.js';
import { live, startEvents, stopEvents } from './events.js';
import { clear, clearAlerts, h, showError } from './ui.js';

const ROUTES = [
  { path: /^\/snapshots$/, nav: 'snapshots', page: () => import('./pages/snapshots.js') },
  { path: /^\/snapshots\/([0-9a-fA-F-]{36})$/, nav: 'snapshots', page: () => import('./pages/snapshot.js') },
  { path: /^\/restores$/, nav: 'restores', page: () => import('./pages/restores.js') },
  { path: /^\/schedules$/, nav: 'schedules', page: () => import('./pages/schedules.js') },
  { path: /^\/servers$/, nav: 'servers', page: () => import('./pages/servers.js') },
  { path: /^\/volumes$/, nav: 'volumes', page: () => import('./pages/volumes.js') },
  { path: /^\/tokens$/, nav: 'tokens', page: () => import('./pages/tokens.js') },
];

const pageEl = () => document.getElementById('page');
let current = null;

/** Where a page lives in the hash: {path: '/snapshots', query: URLSearchParams}. */
export function currentRoute() {
  const hash = window.location.hash.replace(/^#/, '') || '/snapshots';
  const [path, query = ''] = hash.split('?');
  return { path, query: new URLSearchParams(query) };
}

/** Rewrites the current hash's query (filters, page number) without re-rendering or adding history entries. */
export function replaceQuery(params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '' && !(key === 'page' && Number(value) === 0)) query.set(key, value);
  }
  const text = query.toString();
  history.replaceState(null, '', `#${currentRoute().path}${text ? `?${text}` : ''}`);
}

export function navigate(hash) {
  if (window.location.hash === hash) route();
  else window.location.hash = hash;
}

async function route() {
  current?.abort();
  if (!session.me()) {
    showLogin();
    return;
  }
  const controller = new AbortController();
  current = controller;
  const { path, query } = currentRoute();
  const match = ROUTES.map((r) => ({ r, m: r.path.exec(path) })).find((x) => x.m);
  clearAlerts();
  document.querySelectorAll('[data-nav]').forEach((a) => {
    if (a.dataset.nav === match?.r.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  if (!match) {
    renderPage(h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'Not found')),
      h('p', {}, 'There is no page at this address. ', h('a', { href: '#/snapshots' }, 'Go to snapshots')));
    return;
  }
  try {
    const module = await match.r.page();
    if (controller.signal.aborted) return;
    const root = clear(pageEl());
    await module.render({ root, params: match.m.slice(1), query, signal: controller.signal });
    if (!controller.signal.aborted) {
      root.querySelector('h1')?.focus();
      document.title = `${root.querySelector('h1')?.textContent ?? 'Console'} · Databasement`;
    }
  } catch (error) {
    if (!controller.signal.aborted) showError(error, 'Loading the page');
  }
}

function renderPage(...children) {
  clear(pageEl(), ...children);
  pageEl().querySelector('h1')?.focus();
}

async function showLogin(message) {
  document.getElementById('topbar').hidden = true;
  clearAlerts();
  const { renderLogin } = await import('./pages/login.js');
  renderLogin(clear(pageEl()), { message, onSignedIn: signedIn });
}

function signedIn() {
  const me = session.me();
  document.getElementById('topbar').hidden = false;
  document.getElementById('who-name').textContent = me.name;
  document.getElementById('who-role').textContent = String(me.role).toLowerCase();
  document.querySelectorAll('[data-admin-only]').forEach((el) => { el.hidden = !session.isAdmin(); });
  startEvents();
  if (!window.location.hash || window.location.hash === '#/login') history.replaceState(null, '', '#/snapshots');
  route();
}

function signOut(message) {
  current?.abort();
  stopEvents();
  session.signOut();
  showLogin(message);
}

async function start() {
  document.getElementById('logout').addEventListener('click', () => signOut('You are signed out.'));
  document.querySelector('[data-skip]').addEventListener('click', (event) => {
    event.preventDefault();
    document.getElementById('main').focus();
  });
  window.addEventListener('hashchange', route);
  window.addEventListener(UNAUTHORIZED, () => {
    if (session.me()) signOut('The gateway no longer accepts this token (expired or revoked). Sign in again.');
  });
  live.addEventListener('state', (event) => {
    const badge = document.getElementById('live');
    badge.className = `live ${event.detail.live ? 'on' : 'off'}`;
    badge.textContent = event.detail.live ? 'Live' : 'Not live, retrying';
    badge.title = event.detail.live ? 'Status changes arrive as they happen'
      : 'The live status stream is not connected; lists refresh every few seconds instead';
  });
  const token = session.token();
  if (token) {
    try {
      await session.signIn(token);
      signedIn();
      return;
    } catch {
      session.signOut();
    }
  }
  showLogin();
}

start();
