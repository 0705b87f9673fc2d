// Tool calls and results of a chat turn as cards: menu items found, the priced cart with its promotion,
// the placed order, and document passages with their citations.
import { h, money, shortId } from '../dom.js';
import { sentence } from '../problems.js';

const PENDING = {
  retrieve_menu: 'Searching the menu…',
  apply_promos: 'Pricing the cart…',
  confirm: 'Placing the order…',
  search_documents: "Searching the restaurant's documents…",
};

export function pendingCard(call) {
  return h('div', { class: 'card pending', role: 'status', dataset: { callId: call.id, tool: call.name } },
    PENDING[call.name] || `Running ${call.name}…`);
}

/** The card for a tool_result; `actions.confirm()` sends the confirmation of a priced cart. */
export function resultCard(result, actions = {}) {
  const { name, outcome } = result;
  const body = result.result || {};
  if (outcome && outcome !== 'ok') {
    const why = body.error || result.error || 'the assistant could not do that';
    return h('div', { class: `card ${outcome}`, dataset: { tool: name, outcome } }, sentence(why));
  }
  switch (name) {
    case 'retrieve_menu': return menuCard(body);
    case 'apply_promos': return cartCard(body, actions);
    case 'confirm': return orderCard(body);
    case 'search_documents': return documentsCard(body);
    default: return h('div', { class: 'card', dataset: { tool: name } }, `${name} finished.`);
  }
}

function menuCard(body) {
  const items = body.items || [];
  return h('div', { class: 'card menu', 'data-testid': 'menu-card', dataset: { tool: 'retrieve_menu' } },
    h('h3', {}, items.length ? `Found ${items.length} on the menu` : 'Nothing found on the menu'),
    items.length ? h('ul', {}, items.map((item) => h('li', {}, `${item.name} — ${money(item.price, item.currency)}`,
      item.tags?.length ? h('span', { class: 'muted small' }, ` (${item.tags.join(', ')})`) : null))) : null);
}

function cartCard(cart, actions) {
  const currency = cart.currency || '';
  const confirm = h('button', { type: 'button', 'data-testid': 'confirm-order' }, 'Confirm order');
  confirm.addEventListener('click', () => {
    confirm.disabled = true;
    actions.confirm?.();
  });
  const rows = (cart.lines || []).map((line) => h('tr', {},
    h('td', {}, `${line.quantity} × ${line.name}`), h('td', { class: 'num' }, money(line.line_total))));
  const promo = cart.promo_applied
    ? h('tr', { class: 'promo', 'data-testid': 'cart-promo' }, h('td', {}, `Discount (${cart.promo_code})`),
      h('td', { class: 'num' }, `−${money(cart.discount)}`))
    : null;
  const rejected = !cart.promo_applied && cart.promo_code
    ? h('p', { class: 'small error' }, sentence(`The code ${cart.promo_code} did not apply: ${cart.promo_rejection || 'it is not valid for this cart'}`))
    : null;
  return h('div', { class: 'card cart', 'data-testid': 'cart-card', dataset: { tool: 'apply_promos' } },
    h('h3', {}, 'Your cart'),
    h('table', {},
      h('tbody', {}, rows,
        h('tr', {}, h('td', {}, 'Subtotal'), h('td', { class: 'num' }, money(cart.subtotal, currency))),
        promo,
        h('tr', { class: 'total' }, h('td', {}, 'Total'), h('td', { class: 'num', 'data-testid': 'cart-total' },
          money(cart.total, currency))))),
    rejected,
    actions.confirm ? h('div', { class: 'row' }, confirm) : null);
}

function orderCard(order) {
  return h('div', { class: 'card order', 'data-testid': 'order-card', dataset: { tool: 'confirm', orderId: order.id } },
    h('h3', {}, 'Order placed'),
    h('p', {}, `Order ${shortId(order.id)} · ${money(order.total, order.currency)} · `,
      h('span', { class: `status ${order.status}` }, order.status || 'pending')),
    h('p', { class: 'small' }, h('a', { href: '#/orders' }, 'Follow it in My orders')));
}

function documentsCard(body) {
  const passages = body.passages || [];
  return h('div', { class: 'card documents', 'data-testid': 'documents-card', dataset: { tool: 'search_documents' } },
    h('h3', {}, passages.length ? 'From the restaurant\'s documents' : 'Nothing found in the documents'),
    passages.slice(0, 3).map((p) => h('blockquote', { class: 'citation' },
      h('p', {}, excerpt(p.text)),
      h('footer', { class: 'small' }, '— ', h('cite', { 'data-testid': 'citation' }, p.title || 'a document'),
        p.source ? ` (${p.source})` : ''))));
}

function excerpt(text) {
  const clean = String(text || '').replace(/\s+/g, ' ').trim();
  return clean.length > 280 ? `${clean.slice(0, clean.lastIndexOf(' ', 280))} …` : clean;
}
