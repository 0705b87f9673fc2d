// The staff board: the tenant's open orders in columns by status, moved along the state machine with
// PATCH /v1/orders/{id}/status, and kept current from the order stream. The activity list shows every
// event the stream delivered, as delivered.
import { api } from '../api.js';
import { clear, h, money, shortId, time } from '../dom.js';
import { messageOf } from '../problems.js';
import { NEXT, OrderBook } from '../orders.js';
import { orderStream } from '../streams.js';

const COLUMNS = [
  ['pending', 'New'],
  ['confirmed', 'Confirmed'],
  ['preparing', 'Preparing'],
  ['ready', 'Ready'],
];
const ACTION = {
  confirmed: 'Confirm',
  preparing: 'Start preparing',
  ready: 'Mark ready',
  completed: 'Complete',
  cancelled: 'Cancel',
};
const FEED_SIZE = 200;

export function boardPage(root) {
  const book = new OrderBook();
  const lists = Object.fromEntries(COLUMNS.map(([status]) => [status, h('ol', { 'data-column': status })]));
  const state = h('span', { class: 'live off', id: 'board-live', role: 'status' }, 'Connecting…');
  const message = h('div');
  const feed = h('ol', { class: 'feed', id: 'board-feed', reversed: true });
  let alive = true;

  function ticket(order) {
    return h('li', { class: 'ticket', dataset: { orderId: order.id, status: order.status } },
      h('div', { class: 'row' }, h('strong', {}, `#${shortId(order.id)}`),
        h('span', { class: 'muted small' }, time(order.created_at))),
      h('p', { class: 'small' }, order.items.map((line) => `${line.quantity} × ${line.name}`).join(', ')),
      h('p', { class: 'small' }, money(order.total, order.currency), order.promo_code ? ` · ${order.promo_code}` : ''),
      h('div', { class: 'actions' }, (NEXT[order.status] || []).map((next) => h('button', {
        type: 'button',
        class: next === 'cancelled' ? 'danger' : '',
        dataset: { action: next },
        onclick: (event) => move(order, next, event.currentTarget),
      }, ACTION[next], h('span', { class: 'skip' }, ` order ${shortId(order.id)}`)))));
  }

  function render() {
    for (const list of Object.values(lists)) clear(list);
    for (const order of book.sorted().reverse()) lists[order.status]?.append(ticket(order));
    for (const [status, list] of Object.entries(lists)) {
      if (!list.children.length) list.append(h('li', { class: 'muted small' }, 'None'));
      list.closest('.column').querySelector('.count').textContent = String(
        book.sorted().filter((o) => o.status === status).length);
    }
  }

  async function move(order, status, button) {
    button.disabled = true;
    try {
      book.put(await api(`/v1/orders/${order.id}/status`, { method: 'PATCH', json: { status } }));
      clear(message);
      render();
    } catch (error) {
      button.disabled = false;
      clear(message).append(h('p', { class: 'error', role: 'alert' }, messageOf(error)));
    }
  }

  async function load() {
    try {
      const pages = await Promise.all(COLUMNS.map(([status]) => api(`/v1/orders?status=${status}&size=100`)));
      if (!alive) return;
      for (const page of pages) for (const order of page.items) book.put(order);
      clear(message);
      render();
    } catch (error) {
      if (alive) clear(message).append(h('p', { class: 'error', role: 'alert' }, messageOf(error)));
    }
  }

  function logEvent(type, envelope) {
    const order = envelope?.payload || {};
    feed.prepend(h('li', { dataset: { eventId: envelope?.event_id || '', orderId: order.order_id || '', type } },
      `${time(envelope?.occurred_at)} ${type.replace('order_', '')} #${shortId(order.order_id)} → ${order.status || ''}`));
    while (feed.children.length > FEED_SIZE) feed.lastElementChild.remove();
  }

  const stream = orderStream({
    onEvent(type, data) {
      if (type === 'resync') return load();
      if (!data?.payload) return;
      logEvent(type, data);
      if (book.apply(data)) render();
    },
    onState(s) {
      state.className = `live ${s === 'live' ? 'on' : 'off'}`;
      state.textContent = s === 'live' ? 'Live' : s === 'closed' ? 'Offline' : 'Reconnecting…';
    },
  });

  root.append(h('section', { class: 'stack', 'aria-labelledby': 'board-title' },
    h('div', { class: 'row' }, h('h1', { id: 'board-title', style: 'flex:1' }, 'Order board'), state),
    message,
    h('div', { class: 'board' }, COLUMNS.map(([status, label]) => h('section', { class: 'column', 'aria-label': label },
      h('h2', {}, label, ' ', h('span', { class: 'count muted small' }, '0')), lists[status]))),
    h('details', { class: 'panel' }, h('summary', {}, 'Live activity'), feed)));
  render();
  load();
  return () => {
    alive = false;
    stream.close();
  };
}
