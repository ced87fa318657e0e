// A REST client for tests: plain fetch over the real socket. Every response it receives is
// checked against the published contract before the test sees it.
import { assertMatchesContract } from './contract';

export interface RestResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RestRequest {
  body?: unknown;
  /** Sent as is, instead of JSON-encoding `body`. */
  rawBody?: string | Buffer;
  token?: string | null;
  headers?: Record<string, string>;
}

export function restClient(baseUrl: string, defaultToken?: string) {
  async function call<T = any>(method: string, path: string, request: RestRequest = {}): Promise<RestResponse<T>> {
    const token = request.token === undefined ? defaultToken : request.token;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: string | Buffer | undefined = request.rawBody;
    if (payload === undefined && request.body !== undefined) {
      payload = JSON.stringify(request.body);
      headers['content-type'] = 'application/json';
    }
    Object.assign(headers, request.headers);
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload as BodyInit | undefined });
    const text = await response.text();
    const body = text === '' ? undefined : (JSON.parse(text) as T);
    assertMatchesContract(method, new URL(path, baseUrl).pathname, response.status, body);
    return { status: response.status, headers: response.headers, body: body as T };
  }
  return {
    call,
    get: <T = any>(path: string, request?: RestRequest) => call<T>('GET', path, request),
    post: <T = any>(path: string, body: unknown, request?: RestRequest) => call<T>('POST', path, { ...request, body }),
    put: <T = any>(path: string, body: unknown, request?: RestRequest) => call<T>('PUT', path, { ...request, body }),
    delete: <T = any>(path: string, request?: RestRequest) => call<T>('DELETE', path, request),
    /** A JSON merge patch (RFC 7396), as `application/merge-patch+json`. */
    patch: <T = any>(path: string, patch: unknown, request: RestRequest = {}) =>
      call<T>('PATCH', path, {
        ...request,
        rawBody: JSON.stringify(patch),
        headers: { 'content-type': 'application/merge-patch+json', ...request.headers },
      }),
  };
}
