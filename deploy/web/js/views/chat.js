// The chat: a POST to /v1/chat answered as server-sent events, read with fetch so the body and the
// bearer token can be sent. Tokens are appended as they arrive, tool calls become cards, and "Stop"
// aborts the request: llm-service cancels a turn whose client went away.
import { api, currentSession } from '../api.js';
import { h } from '../dom.js';
import { messageOf, sentence } from '../problems.js';
import { readEvents } from '../sse.js';
import { pendingCard, resultCard } from './cards.js';

const SESSION_KEY = 'ragline.chat-session';

export function chatPage(root) {
  const key = `${SESSION_KEY}:${currentSession().tenantId}:${currentSession().userId}`;
  let sessionId = sessionStorage.getItem(key);
  let controller = null;

  const transcript = h('div', { class: 'transcript', id: 'chat-transcript', 'aria-live': 'polite' });
  const input = h('input', { id: 'chat-input', name: 'message', autocomplete: 'off', required: true,
    placeholder: 'e.g. two margherita pizzas with WELCOME10' });
  const send = h('button', { type: 'submit', id: 'chat-send' }, 'Send');
  const stop = h('button', { type: 'button', id: 'chat-stop', class: 'danger', disabled: true,
    onclick: () => controller?.abort() }, 'Stop');
  const fresh = h('button', { type: 'button', class: 'secondary', onclick: () => {
    controller?.abort();
    sessionId = null;
    sessionStorage.removeItem(key);
    transcript.replaceChildren();
    input.focus();
  } }, 'New chat');

  const form = h('form', { class: 'composer', onsubmit: (event) => {
    event.preventDefault();
    const message = input.value.trim();
    if (!message || controller) return;
    input.value = '';
    turn(message);
  } },
  h('label', { for: 'chat-input', class: 'skip' }, 'Message'), input, send, stop);

  function bubble(role, text = '') {
    const el = h('div', { class: `msg ${role}`, dataset: { role } }, h('div', { class: 'text' }, text));
    transcript.append(el);
    el.scrollIntoView({ block: 'end' });
    return el;
  }

  function setBusy(busy) {
    send.disabled = busy;
    stop.disabled = !busy;
  }

  async function turn(message) {
    bubble('user', message);
    const reply = bubble('assistant');
    reply.setAttribute('aria-busy', 'true');
    const text = reply.querySelector('.text');
    const say = (words) => text.append(words);
    controller = new AbortController();
    setBusy(true);
    const cards = new Map();
    try {
      const response = await api('/v1/chat', { method: 'POST', json: { session_id: sessionId || undefined, message },
        headers: { Accept: 'text/event-stream' }, signal: controller.signal, raw: true });
      for await (const event of readEvents(response)) {
        const data = JSON.parse(event.data);
        switch (event.type) {
          case 'session':
            sessionId = data.session_id;
            sessionStorage.setItem(key, sessionId);
            break;
          case 'token':
            say(data.text);
            break;
          case 'tool_call': {
            const card = pendingCard(data);
            cards.set(data.id, card);
            reply.insertBefore(card, text);
            break;
          }
          case 'tool_result': {
            const card = resultCard(data, { confirm: () => { if (!controller) turn('confirm'); } });
            const pending = cards.get(data.id);
            if (pending) pending.replaceWith(card);
            else reply.insertBefore(card, text);
            break;
          }
          case 'error':
            reply.append(h('p', { class: 'error', role: 'alert' }, sentence(data.message) || 'The assistant failed; please try again.'));
            break;
          case 'done':
            reply.dataset.done = 'true';
            break;
          default:
            break;
        }
        reply.scrollIntoView({ block: 'end' });
      }
    } catch (error) {
      const stopped = error?.name === 'AbortError';
      reply.append(h('p', { class: stopped ? 'muted small' : 'error', role: stopped ? null : 'alert',
        'data-testid': stopped ? 'stopped' : null }, stopped ? 'Stopped.' : messageOf(error)));
      for (const card of cards.values()) if (card.isConnected && card.classList.contains('pending')) card.remove();
    } finally {
      reply.removeAttribute('aria-busy');
      controller = null;
      setBusy(false);
      input.focus();
    }
  }

  async function history() {
    if (!sessionId) return;
    try {
      const found = await api(`/v1/chat/sessions/${encodeURIComponent(sessionId)}`);
      for (const message of found.messages || []) {
        if (message.role === 'user') bubble('user', message.content);
        else if (message.role === 'assistant' && message.content) bubble('assistant', message.content);
        else if (message.result) {
          const last = transcript.lastElementChild?.dataset.role === 'assistant' ? transcript.lastElementChild : bubble('assistant');
          last.insertBefore(resultCard({ name: message.tool_name, result: message.result, outcome: 'ok' }), last.querySelector('.text'));
        }
      }
    } catch (error) {
      if (error.status === 404) {
        sessionId = null;
        sessionStorage.removeItem(key);
      }
    }
  }

  root.append(h('section', { class: 'chat', 'aria-labelledby': 'chat-title' },
    h('div', { class: 'row' }, h('h1', { id: 'chat-title', style: 'flex:1' }, 'Chat'), fresh),
    h('p', { class: 'muted small' }, 'Ask for dishes, order with a promo code, or ask about allergens.'),
    transcript, form));
  history().then(() => input.focus());
  return () => controller?.abort();
}
