// The one way the pages talk to RAGline: same-origin fetches through the front door, the bearer token
// attached, a 401 answered by one token refresh (shared by every request waiting on it), and the stream
// cookie renewed after sign-in and every refresh, so the browser's own EventSource can follow streams.
import { ApiError, toApiError } from './problems.js';

const STORE = 'ragline.session';
const listeners = new Set();
let session = load();
let refreshing = null;
let refreshTimer = null;

function load() {
  try {
    return JSON.parse(sessionStorage.getItem(STORE)) || null;
  } catch {
    return null;
  }
}

function save(next) {
  session = next;
  if (next) sessionStorage.setItem(STORE, JSON.stringify(next));
  else sessionStorage.removeItem(STORE);
  scheduleRefresh();
}

function claimsOf(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return {};
  }
}

function fromTokens(tokens, tenant) {
  const claims = claimsOf(tokens.access_token);
  return {
    access: tokens.access_token,
    refresh: tokens.refresh_token,
    expiresAt: Date.now() + (tokens.expires_in ?? 1800) * 1000,
    tenant,
    tenantId: claims.tenant_id,
    userId: claims.user_id || claims.sub,
    email: claims.upn || claims.email || '',
    roles: claims.roles || claims.groups || [],
  };
}

/** Called with the new session (or null) whenever it changes. */
export function onSession(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function emit(reason) {
  for (const listener of listeners) listener(session, reason);
}

export function currentSession() {
  return session;
}

export function hasRole(...roles) {
  return Boolean(session?.roles?.some((role) => roles.includes(role)));
}

async function post(path, body) {
  return fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
}

/** Sets the HttpOnly stream cookie the order and job streams accept (tokens never go into URLs). */
async function openStreamSession() {
  try {
    const response = await fetch('/v1/auth/stream-session', {
      method: 'POST',
      headers: { Authorization: `Bearer ${session.access}` },
      credentials: 'same-origin',
    });
    if (!response.ok) console.warn('stream session refused', response.status);
  } catch (error) {
    console.warn('stream session failed', error);
  }
}

export async function signIn(tenant, email, password) {
  const response = await post('/v1/auth/login', { tenant, email, password });
  if (!response.ok) {
    const error = await toApiError(response);
    if (response.status === 401) error.message = 'The tenant, email or password is not right.';
    throw error;
  }
  save(fromTokens(await response.json(), tenant));
  await openStreamSession();
  emit('signed-in');
}

export async function signOut() {
  const old = session;
  save(null);
  emit('signed-out');
  if (!old) return;
  await Promise.allSettled([
    post('/v1/auth/logout', { refresh_token: old.refresh }),
    fetch('/v1/auth/stream-session', { method: 'DELETE', headers: { Authorization: `Bearer ${old.access}` } }),
  ]);
}

/** Ends the session because the server no longer accepts it; the app shows the sign-in page. */
function expire() {
  if (!session) return;
  save(null);
  emit('expired');
}

/** One refresh at a time; every request that met a 401 waits for the same one. */
export function refresh() {
  if (!session) return Promise.resolve(false);
  if (!refreshing) {
    const presented = session;
    refreshing = (async () => {
      try {
        const response = await post('/v1/auth/refresh', { refresh_token: presented.refresh });
        if (!response.ok) {
          if (response.status === 401 || response.status === 400) expire();
          return false;
        }
        save(fromTokens(await response.json(), presented.tenant));
        await openStreamSession();
        emit('refreshed');
        return true;
      } catch {
        return false;
      } finally {
        refreshing = null;
      }
    })();
  }
  return refreshing;
}

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  if (!session) return;
  // a minute before expiry, so streams and requests never meet an expired token in normal use
  const wait = Math.max(5000, session.expiresAt - Date.now() - 60000);
  refreshTimer = setTimeout(() => refresh(), wait);
}

/**
 * Fetches a RAGline path. JSON bodies via `json`, multipart via `form`. Resolves with the parsed JSON (or
 * null for 204), or with the Response itself when `raw` is set (streams); rejects with an ApiError whose
 * message is a sentence.
 */
export async function api(path, { method = 'GET', json, form, headers = {}, signal, raw = false } = {}) {
  const send = () => {
    const init = { method, signal, headers: { Accept: 'application/json', ...headers }, credentials: 'same-origin' };
    if (session) init.headers.Authorization = `Bearer ${session.access}`;
    if (json !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(json);
    } else if (form) {
      init.body = form;
    }
    return fetch(path, init);
  };
  if (!session) throw new ApiError('Please sign in first.', 401, 'unauthorized', null);
  let response = await send();
  if (response.status === 401 && (await refresh())) response = await send();
  if (response.status === 401) expire();
  if (!response.ok) throw await toApiError(response);
  if (raw) return response;
  if (response.status === 204) return null;
  const type = response.headers.get('content-type') || '';
  return type.includes('json') ? response.json() : null;
}

/** Sets the stream cookie again (after a stream was refused), refreshing the token first if need be. */
export async function renewStreamSession() {
  await api('/v1/auth/stream-session', { method: 'POST' });
}

/** On start: a stored session whose access token has lapsed is refreshed (or ended) before any page loads. */
export async function resume() {
  if (!session) return;
  scheduleRefresh();
  if (session.expiresAt - Date.now() < 30000) await refresh();
  else await openStreamSession();
}
