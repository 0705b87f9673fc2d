// Turns an error response (RFC 9457 problem+json, or whatever a proxy sent) into one readable sentence.

const BY_STATUS = {
  400: 'The request was not accepted; please check what you entered.',
  401: 'Your session has expired; please sign in again.',
  403: 'Your role is not allowed to do that.',
  404: 'That was not found; it may have been removed.',
  409: 'That conflicts with its current state; reload and try again.',
  413: 'That is too large to send.',
  415: 'That kind of file is not supported.',
  422: 'The request could not be processed as it is.',
  429: 'Too many requests right now; please wait a moment and try again.',
};

const BY_TYPE = {
  'login-locked': 'Too many failed sign-ins for this account; please wait a few minutes and try again.',
  'rate-limited': BY_STATUS[429],
  'idempotency-key-in-flight': 'The same request is still being processed; please wait a moment.',
};

export class ApiError extends Error {
  constructor(message, status, type, problem) {
    super(message);
    this.status = status;
    this.type = type;
    this.problem = problem;
  }
}

export function sentence(text) {
  const trimmed = String(text ?? '').trim();
  if (!trimmed) return '';
  const first = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(first) ? first : `${first}.`;
}

function typeName(type) {
  return typeof type === 'string' ? type.split('/').pop() : '';
}

/** Reads a failed response; never throws, never returns raw JSON. */
export async function toApiError(response) {
  let problem = null;
  const contentType = response.headers.get('content-type') || '';
  if (contentType.includes('json')) {
    try {
      problem = await response.json();
    } catch {
      problem = null;
    }
  }
  const type = typeName(problem?.type);
  return new ApiError(describe(response.status, type, problem), response.status, type, problem);
}

export function describe(status, type, problem) {
  if (BY_TYPE[type]) return BY_TYPE[type];
  if (problem && typeof problem === 'object') {
    const fields = Array.isArray(problem.errors) ? problem.errors.filter((e) => e && e.field) : [];
    if (fields.length) {
      const list = fields.map((e) => (e.message ? `${e.field} ${e.message}` : e.field)).join('; ');
      return sentence(`Please check ${list}`);
    }
    if (typeof problem.detail === 'string' && problem.detail.trim() && status !== 401) return sentence(problem.detail);
    if (typeof problem.title === 'string' && problem.title.trim() && !BY_STATUS[status]) return sentence(problem.title);
  }
  if (BY_STATUS[status]) return BY_STATUS[status];
  if (status >= 500) return 'The service had a problem; please try again in a moment.';
  return `The request failed (HTTP ${status}).`;
}

export const NETWORK_ERROR = 'The service could not be reached; check the connection and try again.';

/** Any thrown thing as a sentence for the page. */
export function messageOf(error) {
  if (error instanceof ApiError) return error.message;
  if (error?.name === 'AbortError') return 'Stopped.';
  if (error instanceof TypeError) return NETWORK_ERROR;
  return 'Something went wrong; please try again.';
}
