/** Calls to the dashboard's JSON API with the tenant key the user entered (kept in sessionStorage: it
 *  lives as long as the tab and is never put in a URL). */
const KEY_STORAGE = 'hpo.apiKey';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function apiKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function setApiKey(key: string | null): void {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const key = apiKey();
  return key ? { ...extra, authorization: `Bearer ${key}` } : extra;
}

async function check(res: Response): Promise<Response> {
  if (res.ok) return res;
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { error?: string };
    if (body.error) message = body.error;
  } catch {
    // not JSON: keep the status line
  }
  throw new ApiError(res.status, message);
}

export async function getJson<T>(path: string): Promise<T> {
  return (await check(await fetch(path, { headers: headers() }))).json() as Promise<T>;
}

/** The JSON and its text (a caller can tell an unchanged reply without comparing objects). */
export async function getJsonAndText<T>(path: string): Promise<{ value: T; text: string }> {
  const text = await (await check(await fetch(path, { headers: headers() }))).text();
  return { value: JSON.parse(text) as T, text };
}

export async function sendJson<T>(method: 'POST' | 'PUT', path: string, body: unknown): Promise<T> {
  const res = await fetch(path, { method, headers: headers({ 'content-type': 'application/json' }), body: JSON.stringify(body) });
  return (await check(res)).json() as Promise<T>;
}

/** Downloads through fetch (the key travels in a header) and hands the file to the browser. */
export async function download(path: string): Promise<void> {
  const res = await check(await fetch(path, { headers: headers() }));
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'download';
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
