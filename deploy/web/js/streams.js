// Live streams through the browser's native EventSource, authenticated by the HttpOnly stream cookie.
// EventSource reconnects by itself (sending Last-Event-ID) after a dropped connection. When the server
// refuses the stream instead (an expired cookie answers 401 and EventSource gives up), the cookie is
// renewed and a new EventSource resumes from the last id seen, passed as ?last_event_id= (a cursor,
// not a credential).
import { renewStreamSession } from './api.js';

export class LiveStream {
  /**
   * @param url the stream path
   * @param types event names to deliver (besides the unnamed "message")
   * @param handlers { onEvent(type, data, id), onState(state) } with state 'live' | 'reconnecting' | 'closed'
   */
  constructor(url, types, { onEvent, onState = () => {} }) {
    this.url = url;
    this.types = types;
    this.onEvent = onEvent;
    this.onState = onState;
    this.lastId = null;
    this.retries = 0;
    this.stopped = false;
    this.open();
  }

  open() {
    if (this.stopped) return;
    const url = this.lastId ? `${this.url}${this.url.includes('?') ? '&' : '?'}last_event_id=${encodeURIComponent(this.lastId)}` : this.url;
    const source = new EventSource(url, { withCredentials: true });
    this.source = source;
    const deliver = (type) => (event) => {
      if (event.lastEventId) this.lastId = event.lastEventId;
      let data = null;
      try {
        data = event.data ? JSON.parse(event.data) : null;
      } catch {
        return;
      }
      this.onEvent(type, data, event.lastEventId);
    };
    source.addEventListener('message', deliver('message'));
    for (const type of this.types) source.addEventListener(type, deliver(type));
    source.addEventListener('open', () => {
      this.retries = 0;
      this.onState('live');
    });
    source.addEventListener('error', () => {
      if (this.stopped) return;
      if (source.readyState === EventSource.CONNECTING) {
        this.onState('reconnecting');
        return;
      }
      // CLOSED: refused (401 / 404) or ended by the server; renew the cookie and start again
      this.onState('reconnecting');
      this.retry();
    });
  }

  retry() {
    this.source?.close();
    const wait = Math.min(10000, 500 * 2 ** this.retries++);
    clearTimeout(this.timer);
    this.timer = setTimeout(async () => {
      try {
        await renewStreamSession();
      } catch {
        // signed out or the service is down: the next attempt tries again, sign-out stops it
      }
      this.open();
    }, wait);
  }

  close() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.source?.close();
    this.onState('closed');
  }
}

/** The order stream: order_created / order_updated / order_cancelled envelopes, and resync. */
export function orderStream(handlers) {
  return new LiveStream('/v1/events/orders', ['order_created', 'order_updated', 'order_cancelled', 'resync'], handlers);
}
