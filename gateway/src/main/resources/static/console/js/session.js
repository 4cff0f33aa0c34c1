// The signed-in token and who it is. The token lives in sessionStorage: gone when the tab closes, never in
// localStorage or a cookie, and only ever sent as a Bearer header to /api/**.

const KEY = 'dbm.token';
const LEVEL = { viewer: 1, operator: 2, admin: 3 };

let me = null;

export const session = {
  token: () => sessionStorage.getItem(KEY),

  /** Checks a token with GET /api/v1/me; on success keeps it and returns {name, role, tokenId}. */
  async signIn(token) {
    const response = await fetch('/api/v1/me', { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
    if (!response.ok) {
      const problem = await response.json().catch(() => null);
      const error = new Error(problem?.detail ?? (response.status === 401
        ? 'This token is not valid, has expired or was revoked.' : `The gateway answered ${response.status}.`));
      error.status = response.status;
      error.problem = problem;
      throw error;
    }
    me = await response.json();
    sessionStorage.setItem(KEY, token);
    return me;
  },

  signOut() {
    sessionStorage.removeItem(KEY);
    me = null;
  },

  me: () => me,

  /** viewer < operator < admin: true when the signed-in role is at least this one. */
  atLeast(role) {
    return (LEVEL[String(me?.role ?? '').toLowerCase()] ?? 0) >= LEVEL[role];
  },

  /** Snapshots, restores, schedules: POST/PUT/DELETE need operator. */
  canOperate() {
    return this.atLeast('operator');
  },

  /** Servers, volumes, tokens: changes need admin. */
  isAdmin() {
    return this.atLeast('admin');
  },
};
