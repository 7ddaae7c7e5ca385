// A real OpenID Connect provider for tests (oidc-provider on 127.0.0.1, a random port):
// one confidential client registered for the app's redirect URI, accounts given by sub,
// and oidc-provider's own development login and consent pages. login() drives a browser's
// part of the flow with plain HTTP: follow redirects by hand, carry cookies, post the forms.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** sub → claims the provider releases (name, id_number, …). */
  accounts: Map<string, Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startProvider(redirectUri: string): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, Record<string, unknown>>();
  const clientId = 'kuaixiang';
  const clientSecret = 'kx-test-client-secret-0123456789';
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
    findAccount: (_ctx, sub) => {
      const claims = accounts.get(sub);
      return claims ? { accountId: sub, claims: () => ({ sub, ...claims }) } : undefined;
    },
    claims: { openid: ['sub'], profile: ['name', 'id_number'] },
    cookies: { keys: ['kx-test-provider-cookie-key'] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 3600, IdToken: 600, Interaction: 600, Session: 3600 },
  });
  server.on('request', provider.callback());
  return {
    issuer, clientId, clientSecret, accounts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface StoredCookie {
  value: string;
  path: string;
}

/** Just enough of a browser: cookies by name and path (ports share cookies, as in browsers). */
export class Browser {
  private jar = new Map<string, StoredCookie>();

  cookie(name: string): string | undefined {
    return this.jar.get(name)?.value;
  }

  private store(res: Response, url: URL): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const attr = (k: string) => attrs.find((a) => a.toLowerCase().startsWith(`${k}=`))?.slice(k.length + 1);
      const expires = attr('expires');
      // Clearing a cookie sets it to the epoch; other expiry dates follow the app's pinned
      // clock (2025 in tests), which a comparison with the real clock would misread.
      const gone = value === '' || attr('max-age') === '0' || (expires !== undefined && Date.parse(expires) <= 0);
      if (gone) this.jar.delete(name);
      else this.jar.set(name, { value, path: attr('path') ?? url.pathname });
    }
  }

  async request(url: string | URL, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const u = new URL(url);
    const cookies = [...this.jar].filter(([, c]) => u.pathname.startsWith(c.path)).map(([n, c]) => `${n}=${c.value}`);
    const res = await fetch(u, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: { ...(cookies.length ? { cookie: cookies.join('; ') } : {}), ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    this.store(res, u);
    return res;
  }

  /**
   * Follows redirects from `url`; on the provider's login and consent pages, submits the
   * form (login as `login`), or cancels at the first one (`cancel`). Stops at the first
   * response that is neither, or before requesting a URL that starts with `stopAt` (the
   * app's callback, to look at it first): then `res` is undefined and `url` is that URL.
   */
  async follow(url: string, opts: { login?: string; cancel?: boolean; stopAt?: string; max?: number } = {}): Promise<{ res?: Response; url: string; trail: string[] }> {
    let next = url;
    let form: Record<string, string> | undefined;
    const trail: string[] = [];
    for (let i = 0; i < (opts.max ?? 20); i++) {
      trail.push(next);
      if (opts.stopAt && next.startsWith(opts.stopAt)) return { url: next, trail };
      const res = await this.request(next, form ? { form } : {});
      form = undefined;
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        next = new URL(location, next).href;
        continue;
      }
      const html = res.headers.get('content-type')?.includes('text/html') ? await res.text() : '';
      const action = /<form[^>]*action="([^"]+)"[^>]*method="post"/i.exec(html)?.[1];
      const prompt = /name="prompt" value="(login|consent)"/.exec(html)?.[1];
      if (!action || !prompt) return { res, url: next, trail };
      next = new URL(action.replace(/&amp;/g, '&'), next).href;
      if (opts.cancel) next = `${next}/abort`;
      else form = prompt === 'login' ? { prompt, login: opts.login ?? '', password: 'any' } : { prompt };
    }
    throw new Error(`too many redirects from ${url}: ${trail.join(' → ')}`);
  }
}
