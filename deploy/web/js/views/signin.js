// Sign-in per tenant: the role comes from the account, the token from api-service.
import { signIn } from '../api.js';
import { h } from '../dom.js';
import { messageOf } from '../problems.js';

// The accounts deploy/local/demo-data.sh creates (password ragline-demo) for a quick start.
const DEMO = [
  ['demo', 'customer@demo.test'],
  ['demo', 'staff@demo.test'],
  ['demo', 'admin@demo.test'],
  ['globex', 'customer@globex.test'],
];

export function signInPage(root) {
  const tenant = h('input', { id: 'tenant', name: 'tenant', required: true, autocomplete: 'organization', value: 'demo' });
  const email = h('input', { id: 'email', name: 'email', type: 'email', required: true, autocomplete: 'username' });
  const password = h('input', { id: 'password', name: 'password', type: 'password', required: true,
    autocomplete: 'current-password' });
  const error = h('p', { class: 'error', role: 'alert', id: 'signin-error' });
  const submit = h('button', { type: 'submit' }, 'Sign in');

  const form = h('form', {
    'aria-describedby': 'signin-error',
    onsubmit: async (event) => {
      event.preventDefault();
      error.textContent = '';
      submit.disabled = true;
      try {
        await signIn(tenant.value.trim(), email.value.trim(), password.value);
      } catch (failure) {
        error.textContent = messageOf(failure);
        password.focus();
      } finally {
        submit.disabled = false;
      }
    },
  },
  h('label', { for: 'tenant' }, 'Tenant', tenant),
  h('label', { for: 'email' }, 'Email', email),
  h('label', { for: 'password' }, 'Password', password),
  submit,
  error);

  const demo = h('div', { class: 'demo-users', role: 'group', 'aria-label': 'Demo accounts' },
    DEMO.map(([slug, account]) => h('button', {
      type: 'button',
      class: 'secondary',
      onclick: () => {
        tenant.value = slug;
        email.value = account;
        password.value = 'ragline-demo';
        submit.focus();
      },
    }, `${account}`)));

  root.append(h('section', { class: 'signin panel stack', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Sign in'),
    form,
    h('h2', {}, 'Demo accounts'),
    h('p', { class: 'muted small' }, 'Fill the form with an account of the local demo data (password ragline-demo).'),
    demo));
  tenant.focus();
}
