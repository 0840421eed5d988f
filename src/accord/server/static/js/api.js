// The JSON API of the server this page came from (never anything else: the page works offline).

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

export function url(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === "") continue;
    for (const item of Array.isArray(value) ? value : [value]) query.append(key, String(item));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

export async function get(path, params = {}, signal = undefined) {
  // Relative to the page, so that a rule base served under /bases/NAME/ asks its own API.
  const response = await fetch(url(path.replace(/^\//, ""), params), { signal, headers: { Accept: "application/json" } });
  let body = null;
  try {
    body = await response.json();
  } catch (err) {
    throw new ApiError(`The server sent no JSON (status ${response.status}).`, response.status);
  }
  if (!response.ok) throw new ApiError(body && body.error ? body.error : `HTTP ${response.status}`, response.status);
  return body;
}

// Answers that never change while the server runs are fetched once.
const kept = new Map();

export function once(path, params = {}) {
  const key = url(path, params);
  if (!kept.has(key)) kept.set(key, get(path, params));
  return kept.get(key);
}
