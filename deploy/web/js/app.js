// The shell: which pages a role sees, hash routing, the signed-in header, and the page-wide notice.
import { currentSession, hasRole, onSession, resume, signOut } from './api.js';
import { clear, h } from './dom.js';
import { messageOf } from './problems.js';
import { signInPage } from './views/signin.js';
import { menuPage } from './views/menu.js';
import { chatPage } from './views/chat.js';
import { ordersPage } from './views/orders.js';
import { boardPage } from './views/board.js';
import { documentsPage } from './views/documents.js';

const PAGES = [
  { path: 'menu', label: 'Menu', roles: ['customer', 'staff', 'admin'], render: menuPage },
  { path: 'chat', label: 'Chat', roles: ['customer', 'admin'], render: chatPage },
  { path: 'orders', label: 'My orders', roles: ['customer'], render: ordersPage },
  { path: 'board', label: 'Order board', roles: ['staff', 'admin'], render: boardPage },
  { path: 'documents', label: 'Documents', roles: ['staff', 'admin'], render: documentsPage },
];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const notice = document.getElementById('notice');
let teardown = null;

/** Shows a sentence above the page (errors by default; kind 'info' for neutral news). */
export function notify(message, kind = 'error') {
  notice.textContent = message;
  notice.className = kind === 'info' ? 'info' : '';
  notice.hidden = !message;
}

function allowed() {
  return PAGES.filter((page) => hasRole(...page.roles));
}

function landing() {
  return allowed()[0]?.path ?? 'menu';
}

function renderHeader(active) {
  const session = currentSession();
  clear(nav);
  clear(who);
  if (!session) return;
  for (const page of allowed()) {
    nav.append(h('a', { href: `#/${page.path}`, 'aria-current': page.path === active ? 'page' : null }, page.label));
  }
  who.append(
    h('span', { 'data-testid': 'who' }, `${session.email} · ${session.tenant} · ${session.roles.join(', ')}`),
    h('button', { type: 'button', class: 'secondary', onclick: () => signOut() }, 'Sign out'),
  );
}

function route() {
  const wanted = location.hash.replace(/^#\/?/, '') || '';
  teardown?.();
  teardown = null;
  clear(main);
  if (!currentSession()) {
    renderHeader(null);
    document.title = 'Sign in · RAGline';
    signInPage(main);
    return;
  }
  const page = allowed().find((p) => p.path === wanted);
  if (!page) {
    location.replace(`#/${landing()}`);
    return;
  }
  renderHeader(page.path);
  document.title = `${page.label} · RAGline`;
  try {
    teardown = page.render(main, { notify }) || null;
  } catch (error) {
    main.append(h('p', { class: 'error' }, messageOf(error)));
  }
  main.focus({ preventScroll: true });
}

onSession((session, reason) => {
  if (reason === 'expired') notify('Your session has expired; please sign in again.');
  if (reason === 'signed-in') notify('');
  if (reason === 'refreshed') return; // same user, same page: the pages keep running
  if (reason === 'signed-in') {
    const target = `#/${landing()}`;
    if (location.hash !== target) {
      location.hash = target; // hashchange renders it
      return;
    }
  }
  route();
});

window.addEventListener('hashchange', () => {
  notify('');
  route();
});
window.addEventListener('unhandledrejection', (event) => {
  notify(messageOf(event.reason));
  event.preventDefault();
});

await resume();
route();
