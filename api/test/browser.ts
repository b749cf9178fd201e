/**
 * A browser without JavaScript for the web approval page's tests: a cookie jar, plain form
 * posts, redirects followed by hand, through app.request().
 */
import { TEST_PASSWORD, type TestContext } from './harness.ts';

export const SESSION = '__Host-storesync_session';

export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(private readonly context: TestContext) {}

  async request(method: string, path: string, form?: Record<string, string | string[] | undefined>) {
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers.Cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    let body: string | undefined;
    if (form) {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(form)) for (const item of [value ?? []].flat()) params.append(name, item);
      body = params.toString();
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    }
    const response = await this.context.app.request(`http://localhost${path}`, { method, headers, body });
    const setCookies = response.headers.getSetCookie();
    for (const cookie of setCookies) {
      const [pair = '', ...attributes] = cookie.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (!value || attributes.some((attribute) => /^\s*max-age=0$/i.test(attribute))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: response.status, headers: response.headers, location: response.headers.get('location'), setCookies, text: await response.text() };
  }

  get(path: string) {
    return this.request('GET', path);
  }

  post(path: string, form: Record<string, string | string[] | undefined>) {
    return this.request('POST', path, form);
  }

  async signIn(email: string, options: { password?: string; next?: string } = {}) {
    const page = await this.get(`/approvals/sign-in${options.next ? `?next=${encodeURIComponent(options.next)}` : ''}`);
    return this.post('/approvals/sign-in', { _csrf: csrfOf(page.text), email, password: options.password ?? TEST_PASSWORD, next: options.next });
  }
}

export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
export const rowVersionOf = (html: string) => /name="row_version" value="(\d+)"/.exec(html)?.[1] ?? '';
