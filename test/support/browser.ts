// A browser's part in redirect flows, for tests without a real one: it follows redirects one at
// a time (so a test can stop at, read or tamper with any of them), keeps cookies per origin and
// path as a browser would, submits the provider's HTML forms, and makes a page's same-origin
// fetches (JSON, or as `fetch` for a tRPC client) with the cookies that go along.
export interface Hop {
  url: string;
  status: number;
  /** Where the browser goes next: the `Location` header resolved against the request's URL. */
  location?: string;
  /** The `Location` header as the service sent it. */
  rawLocation?: string;
  /** The `Set-Cookie` lines of the answer. */
  setCookies: string[];
  body: string;
}

interface StoredCookie {
  origin: string;
  path: string;
  value: string;
}

export class TestBrowser {
  private readonly cookies = new Map<string, StoredCookie>();

  /** One request, no redirect followed. */
  async request(
    url: string,
    init: { method?: string; form?: Record<string, string>; json?: unknown } = {},
  ): Promise<Hop> {
    const headers: Record<string, string> = {};
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const response = await this.fetch(url, {
      method: init.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
      redirect: 'manual',
    });
    const location = response.headers.get('location') ?? undefined;
    return {
      url: new URL(url).href,
      status: response.status,
      location: location && new URL(location, url).href,
      rawLocation: location,
      setCookies: response.headers.getSetCookie(),
      body: await response.text(),
    };
  }

  /** `fetch` as this browser makes it: its cookies for the URL go along, the answer's are kept. */
  readonly fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const target = new URL(input instanceof Request ? input.url : input);
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(target);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(input, { ...init, headers });
    for (const line of response.headers.getSetCookie()) this.store(target, line);
    return response;
  };

  /** Whether this browser holds a cookie of that name for the URL. */
  hasCookie(url: string, name: string): boolean {
    return this.cookieHeader(new URL(url))
      .split('; ')
      .some((pair) => pair.startsWith(`${name}=`));
  }

  /** Follows redirects from `url` until `stop` says so (or a page that is not a redirect). */
  async follow(
    url: string,
    stop: (hop: Hop) => boolean = () => false,
    init: Parameters<TestBrowser['request']>[1] = {},
  ): Promise<Hop> {
    let hop = await this.request(url, init);
    for (let hops = 0; hop.location && !stop(hop); hops += 1) {
      if (hops > 20) throw new Error(`too many redirects from ${url}`);
      hop = await this.request(hop.location);
    }
    return hop;
  }

  /** Submits the first form of a page with `fields` (plus its hidden inputs). */
  async submit(page: Hop, fields: Record<string, string>, stop?: (hop: Hop) => boolean): Promise<Hop> {
    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i.exec(page.body);
    if (!form?.[1]) throw new Error(`no form on ${page.url}:\n${page.body.slice(0, 500)}`);
    const hidden = Object.fromEntries(
      [...(form[2] ?? '').matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/gi)].map((m) => [
        m[1],
        m[2],
      ]),
    );
    return this.follow(new URL(form[1], page.url).href, stop, { method: 'POST', form: { ...hidden, ...fields } });
  }

  forget(name: string): void {
    for (const key of [...this.cookies.keys()]) if (key.endsWith(`|${name}`)) this.cookies.delete(key);
  }

  private store(url: URL, line: string): void {
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
    const [name = '', ...value] = pair.split('=');
    const attribute = (key: string) =>
      attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
    const path = attribute('path') ?? '/';
    const key = `${url.origin}|${path}|${name}`;
    if (attribute('max-age') === '0' || value.join('=') === '') this.cookies.delete(key);
    else this.cookies.set(key, { origin: url.origin, path, value: `${name}=${value.join('=')}` });
  }

  private cookieHeader(url: URL): string {
    return [...this.cookies.values()]
      .filter(
        (c) =>
          c.origin === url.origin &&
          (url.pathname === c.path ||
            url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) ||
            c.path === '/'),
      )
      .map((c) => c.value)
      .join('; ');
  }
}
