// Rake documents for staff and admins: upload files as a job and watch its stages live (the job's
// event stream through the browser's EventSource), search with citations, delete a document.
import { api } from '../api.js';
import { clear, h } from '../dom.js';
import { messageOf } from '../problems.js';
import { LiveStream } from '../streams.js';

const STAGES = ['fetch', 'clean', 'chunk', 'embed', 'store'];
const FINISHED = ['COMPLETED', 'FAILED', 'CANCELLED'];

export function documentsPage(root) {
  const files = h('input', { id: 'doc-files', type: 'file', multiple: true, required: true,
    accept: '.pdf,.txt,.md,.csv,.json,.html,.docx' });
  const uploadError = h('p', { class: 'error', role: 'alert' });
  const jobBox = h('div', { id: 'job', 'aria-live': 'polite' });
  const docsBody = h('tbody', { id: 'documents-body' });
  const docsMessage = h('div');
  const query = h('input', { id: 'doc-query', type: 'search', required: true, placeholder: 'Which dishes contain nuts?' });
  const hits = h('div', { id: 'search-results', 'aria-live': 'polite' });
  let stream = null;
  let alive = true;

  async function upload(event) {
    event.preventDefault();
    uploadError.textContent = '';
    if (!files.files.length) return;
    const form = new FormData();
    form.append('source', 'file_upload');
    for (const file of files.files) form.append('file', file, file.name);
    const button = event.submitter;
    if (button) button.disabled = true;
    try {
      const job = await api('/api/v1/jobs', { method: 'POST', form });
      files.value = '';
      follow(job);
    } catch (error) {
      uploadError.textContent = messageOf(error);
    } finally {
      if (button) button.disabled = false;
    }
  }

  function follow(job) {
    stream?.close();
    showJob(job);
    stream = new LiveStream(`/api/v1/jobs/${job.job_id}/events`, [], {
      onEvent(type, data) {
        if (!data) return;
        showJob(data);
        if (FINISHED.includes(data.status)) {
          stream.close(); // the server ends the stream here; EventSource would otherwise reconnect
          loadDocuments();
        }
      },
    });
  }

  function showJob(job) {
    const stages = job.stages || {};
    const current = (job.progress?.stage || job.status || '').toLowerCase();
    const percent = job.status === 'COMPLETED' ? 100 : job.progress?.percentage ?? 0;
    clear(jobBox).append(h('div', { class: 'panel', dataset: { jobId: job.job_id, status: job.status } },
      h('h2', {}, 'Job ', h('code', {}, String(job.job_id).slice(0, 8)), ' ',
        h('span', { class: `status ${String(job.status).toLowerCase()}`, 'data-testid': 'job-status' }, job.status)),
      h('progress', { max: '100', value: String(percent), 'aria-label': 'Progress' }),
      h('ol', { class: 'stages' }, STAGES.map((name) => {
        const stage = stages[name] || {};
        const done = Boolean(stage.ended_at);
        const active = !done && (Boolean(stage.started_at) || current.startsWith(name));
        return h('li', { class: done ? 'done' : active ? 'active' : '', dataset: { stage: name } },
          h('strong', {}, name), h('div', { class: 'small muted' }, done ? 'done' : active ? 'running' : 'waiting',
            counts(stage)));
      })),
      job.error ? h('p', { class: 'error' }, job.error) : null));
  }

  async function loadDocuments() {
    try {
      const page = await api('/api/v1/documents?size=100');
      if (!alive) return;
      clear(docsMessage);
      clear(docsBody);
      if (!page.items.length) docsBody.append(h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'No documents yet.')));
      for (const doc of page.items) {
        docsBody.append(h('tr', { dataset: { documentId: doc.document_id } },
          h('td', {}, doc.title || doc.source_id),
          h('td', { class: 'wide' }, doc.source),
          h('td', {}, String(doc.chunk_count ?? '')),
          h('td', {}, h('button', { type: 'button', class: 'danger', onclick: () => remove(doc) },
            'Delete', h('span', { class: 'skip' }, ` ${doc.title || doc.source_id}`)))));
      }
    } catch (error) {
      if (alive) clear(docsMessage).append(h('p', { class: 'error', role: 'alert' }, messageOf(error)));
    }
  }

  async function remove(doc) {
    if (!confirm(`Delete "${doc.title || doc.source_id}" and its passages?`)) return;
    try {
      await api(`/api/v1/documents/${doc.document_id}`, { method: 'DELETE' });
      loadDocuments();
    } catch (error) {
      clear(docsMessage).append(h('p', { class: 'error', role: 'alert' }, messageOf(error)));
    }
  }

  async function search(event) {
    event.preventDefault();
    try {
      const found = await api('/api/v1/search', { method: 'POST', json: { query: query.value.trim(), top_k: 5, mode: 'hybrid' } });
      clear(hits);
      if (!found.results.length) hits.append(h('p', { class: 'muted' }, 'No passage matches.'));
      for (const hit of found.results) {
        hits.append(h('blockquote', { class: 'citation' },
          h('p', {}, hit.text),
          h('footer', { class: 'small' }, '— ', h('cite', { 'data-testid': 'citation' }, hit.title || hit.source_id || 'a document'),
            ` (${hit.url || hit.source_id || hit.source}, passage ${hit.position ?? '?'}, score ${Number(hit.score).toFixed(3)})`)));
      }
    } catch (error) {
      clear(hits).append(h('p', { class: 'error', role: 'alert' }, messageOf(error)));
    }
  }

  root.append(h('section', { class: 'stack', 'aria-labelledby': 'docs-title' },
    h('h1', { id: 'docs-title' }, 'Documents'),
    h('form', { class: 'panel row', onsubmit: upload },
      h('label', { for: 'doc-files' }, 'Files (PDF, text, Markdown, HTML, DOCX)', files),
      h('button', { type: 'submit', id: 'doc-upload' }, 'Upload'), uploadError),
    jobBox,
    h('h2', {}, 'Search'),
    h('form', { class: 'row', role: 'search', onsubmit: search },
      h('label', { for: 'doc-query' }, 'Question', query), h('button', { type: 'submit' }, 'Search')),
    hits,
    h('h2', {}, 'Stored documents'),
    docsMessage,
    h('table', { class: 'list' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Title'), h('th', { class: 'wide' }, 'Source'), h('th', {}, 'Passages'),
        h('th', {}, h('span', { class: 'skip' }, 'Actions')))),
      docsBody)));
  loadDocuments();
  return () => {
    alive = false;
    stream?.close();
  };
}

function counts(stage) {
  const parts = Object.entries(stage)
    .filter(([key, value]) => typeof value === 'number' && !key.endsWith('_ms'))
    .map(([key, value]) => `${value} ${key.replace(/_/g, ' ')}`);
  return parts.length ? ` · ${parts.join(', ')}` : '';
}
