// A real OpenID Provider for tests: oidc-provider on a free loopback port, with one confidential
// client (the service) and accounts the test controls. Its own login and consent pages (its
// development interactions) are driven like a browser would (test/support/browser.ts), so the
// service talks to it exactly as to a production provider: discovery, PKCE, ID tokens, userinfo.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

export interface ProviderAccount {
  email?: string;
  email_verified?: boolean;
  /** The `name`, `gender` and `birthdate` claims (scope `profile`). */
  name?: string;
  gender?: string;
  birthdate?: string;
}

export interface OpenIdProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Accounts by id (the login name typed on the provider's page); change them at will. */
  accounts: Map<string, ProviderAccount>;
  close(): Promise<void>;
}

export async function startOpenIdProvider(options: { redirectUri: string }): Promise<OpenIdProvider> {
  const { default: Provider } = await import('oidc-provider');
  const accounts = new Map<string, ProviderAccount>();
  const clientId = 'users-service';
  const clientSecret = 'a-client-secret-only-for-tests-0123456789';
  // the port is taken first, so the issuer URL (in every token) is known before the provider exists
  const { createServer } = await import('node:http');
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'gender', 'birthdate'] },
    findAccount: (_ctx: unknown, id: string) => {
      const account = accounts.get(id);
      return account && { accountId: id, claims: () => ({ sub: id, ...account }) };
    },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    cookies: { keys: ['cookie-key-only-for-tests'] },
    features: { devInteractions: { enabled: true } },
  });
  const handle = provider.callback();
  server.on('request', (req, res) => void handle(req, res));
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
