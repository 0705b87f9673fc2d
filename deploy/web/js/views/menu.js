// The catalogue with search and filters; every filter is applied by api-service (GET /v1/products).
import { api } from '../api.js';
import { clear, h, money } from '../dom.js';
import { messageOf } from '../problems.js';

const PAGE_SIZE = 24;

export function menuPage(root) {
  const q = h('input', { id: 'menu-q', type: 'search', placeholder: 'pizza, pasta, lemon…' });
  const category = h('select', { id: 'menu-category' }, h('option', { value: '' }, 'Any category'));
  const tag = h('select', { id: 'menu-tag' }, h('option', { value: '' }, 'Any tag'));
  const maxPrice = h('input', { id: 'menu-max-price', type: 'number', min: '0', step: '0.5', inputmode: 'decimal' });
  const results = h('div', { id: 'menu-results', 'aria-live': 'polite' });
  const pager = h('div', { class: 'row' });
  let page = 0;
  let alive = true;

  async function loadFacets() {
    // The facets come from the catalogue itself, so a tenant's own categories and tags are offered.
    try {
      const all = await api('/v1/products?size=100');
      const categories = [...new Set(all.items.map((p) => p.category).filter(Boolean))].sort();
      const tags = [...new Set(all.items.flatMap((p) => p.tags || []))].sort();
      category.append(...categories.map((c) => h('option', { value: c }, c)));
      tag.append(...tags.map((t) => h('option', { value: t }, t)));
    } catch {
      // the search below reports the error
    }
  }

  async function search() {
    const params = new URLSearchParams({ page: String(page), size: String(PAGE_SIZE) });
    if (q.value.trim()) params.set('q', q.value.trim());
    if (category.value) params.set('category', category.value);
    if (tag.value) params.set('tag', tag.value);
    if (maxPrice.value) params.set('max_price', maxPrice.value);
    results.setAttribute('aria-busy', 'true');
    try {
      const found = await api(`/v1/products?${params}`);
      if (!alive) return;
      clear(results);
      clear(pager);
      if (!found.items.length) {
        results.append(h('p', { class: 'muted' }, 'Nothing on the menu matches these filters.'));
        return;
      }
      results.append(h('p', { class: 'muted small' }, `${found.total} dishes`),
        h('ul', { class: 'grid', role: 'list', style: 'list-style:none;padding:0;margin:0' },
          found.items.map(product)));
      const pages = Math.ceil(found.total / PAGE_SIZE);
      if (pages > 1) {
        pager.append(
          h('button', { type: 'button', class: 'secondary', disabled: page === 0, onclick: () => { page--; search(); } }, 'Previous'),
          h('span', {}, `Page ${page + 1} of ${pages}`),
          h('button', { type: 'button', class: 'secondary', disabled: page + 1 >= pages, onclick: () => { page++; search(); } }, 'Next'));
      }
    } catch (error) {
      if (!alive) return;
      clear(results).append(h('p', { class: 'error', role: 'alert' }, messageOf(error)));
    } finally {
      results.removeAttribute('aria-busy');
    }
  }

  const form = h('form', {
    class: 'row panel',
    role: 'search',
    onsubmit: (event) => {
      event.preventDefault();
      page = 0;
      search();
    },
  },
  h('label', { for: 'menu-q' }, 'Search', q),
  h('label', { for: 'menu-category' }, 'Category', category),
  h('label', { for: 'menu-tag' }, 'Tag', tag),
  h('label', { for: 'menu-max-price' }, 'Max price', maxPrice),
  h('button', { type: 'submit' }, 'Search'));
  for (const select of [category, tag]) select.addEventListener('change', () => { page = 0; search(); });

  root.append(h('section', { class: 'stack', 'aria-labelledby': 'menu-title' },
    h('h1', { id: 'menu-title' }, 'Menu'), form, results, pager));
  loadFacets();
  search();
  return () => { alive = false; };
}

function product(item) {
  return h('li', { class: 'panel product', dataset: { productId: item.id } },
    h('h3', {}, item.name),
    h('p', { class: 'price' }, money(item.price, item.currency)),
    item.description ? h('p', { class: 'muted small' }, item.description) : null,
    h('p', { class: 'small muted' }, item.category, item.available === false ? ' · not available' : ''),
    item.tags?.length ? h('ul', { class: 'tags', 'aria-label': 'Tags' }, item.tags.map((t) => h('li', {}, t))) : null);
}
