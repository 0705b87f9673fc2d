// The customer's own orders; their status changes arrive on the order stream without a reload.
import { api } from '../api.js';
import { clear, h, money, shortId, time } from '../dom.js';
import { messageOf } from '../problems.js';
import { OrderBook } from '../orders.js';
import { orderStream } from '../streams.js';

export function ordersPage(root) {
  const book = new OrderBook();
  const body = h('tbody', { id: 'orders-body' });
  const state = h('span', { class: 'live off', id: 'orders-live', role: 'status' }, 'Connecting…');
  const message = h('div');
  let alive = true;

  function row(order) {
    const cancellable = order.status === 'pending';
    return h('tr', { dataset: { orderId: order.id, status: order.status } },
      h('td', {}, h('code', {}, shortId(order.id)), h('div', { class: 'muted small' }, time(order.created_at))),
      h('td', { class: 'wide' }, order.items.map((line) => `${line.quantity} × ${line.name}`).join(', ')),
      h('td', {}, money(order.total, order.currency)),
      h('td', {}, h('span', { class: `status ${order.status}`, 'data-testid': 'order-status' }, order.status)),
      h('td', {}, cancellable ? h('button', { type: 'button', class: 'danger', onclick: () => cancel(order) },
        'Cancel', h('span', { class: 'skip' }, ` order ${shortId(order.id)}`)) : null));
  }

  function render() {
    clear(body);
    const orders = book.sorted();
    if (!orders.length) body.append(h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No orders yet. Order from the chat.')));
    body.append(...orders.map(row));
  }

  async function load() {
    try {
      const page = await api('/v1/orders?size=50');
      if (!alive) return;
      for (const order of page.items) book.put(order);
      clear(message);
      render();
    } catch (error) {
      if (alive) clear(message).append(h('p', { class: 'error', role: 'alert' }, messageOf(error)));
    }
  }

  async function cancel(order) {
    try {
      book.put(await api(`/v1/orders/${order.id}/cancel`, { method: 'POST' }));
      render();
    } catch (error) {
      clear(message).append(h('p', { class: 'error', role: 'alert' }, messageOf(error)));
    }
  }

  const stream = orderStream({
    onEvent(type, data) {
      if (type === 'resync') return load();
      if (data?.payload && book.apply(data)) render();
    },
    onState(s) {
      state.className = `live ${s === 'live' ? 'on' : 'off'}`;
      state.textContent = s === 'live' ? 'Live' : s === 'closed' ? 'Offline' : 'Reconnecting…';
    },
  });

  root.append(h('section', { class: 'stack', 'aria-labelledby': 'orders-title' },
    h('div', { class: 'row' }, h('h1', { id: 'orders-title', style: 'flex:1' }, 'My orders'), state),
    message,
    h('table', { class: 'list' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Order'), h('th', { class: 'wide' }, 'Items'), h('th', {}, 'Total'),
        h('th', {}, 'Status'), h('th', {}, h('span', { class: 'skip' }, 'Actions')))),
      body)));
  render();
  load();
  return () => {
    alive = false;
    stream.close();
  };
}
