// Orders as the pages keep them: the list from GET /v1/orders, kept current by the order stream's
// envelopes. A change older than the one shown (a replay after a reconnect) never moves an order back.
export function fromEnvelope(envelope) {
  const p = envelope.payload || {};
  return {
    id: p.order_id || envelope.aggregate_id,
    user_id: p.user_id,
    status: p.status,
    items: p.items || [],
    promo_code: p.promo_code,
    subtotal: p.subtotal,
    discount: p.discount,
    total: p.total,
    currency: p.currency,
    created_at: p.created_at,
    updated_at: p.updated_at,
    version: envelope.aggregate_version,
  };
}

export class OrderBook {
  constructor() {
    this.orders = new Map();
  }

  replaceAll(list) {
    this.orders = new Map(list.map((order) => [order.id, { ...order, version: order.version ?? 0 }]));
  }

  /** Applies a stream envelope; returns the order if it changed what is shown. */
  apply(envelope) {
    const next = fromEnvelope(envelope);
    const known = this.orders.get(next.id);
    if (known && isOlder(next, known)) return null;
    this.orders.set(next.id, { ...known, ...next });
    return this.orders.get(next.id);
  }

  /** An order as a REST call returned it (no version: ordered by updated_at). */
  put(order) {
    const known = this.orders.get(order.id);
    if (known && isOlder(order, known)) return known;
    this.orders.set(order.id, { ...known, ...order, version: known?.version ?? 0 });
    return this.orders.get(order.id);
  }

  sorted() {
    return [...this.orders.values()].sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
  }
}

function isOlder(next, known) {
  if (next.version && known.version) return next.version <= known.version;
  const a = Date.parse(next.updated_at);
  const b = Date.parse(known.updated_at);
  return Number.isFinite(a) && Number.isFinite(b) && a < b;
}

export const NEXT = {
  pending: ['confirmed', 'cancelled'],
  confirmed: ['preparing', 'cancelled'],
  preparing: ['ready'],
  ready: ['completed'],
  completed: [],
  cancelled: [],
};
