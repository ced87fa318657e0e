// A real OpenID provider (./test-openid-provider) and a test service signing in with it, on a port
// chosen first, since the provider must know the service's callback before the service starts.
import { freePort } from '../../dev/embedded-postgres/embedded-postgres';
import { startTestService, type TestService } from './service';
import { startOpenIdProvider, type OpenIdProvider } from './test-openid-provider';

/** The provider, and a service with `OIDC_*` and `PUBLIC_URL` set for it (and `env` over them). */
export async function startWithOpenIdProvider(
  env: Record<string, string> = {},
): Promise<{ op: OpenIdProvider; service: TestService }> {
  const port = await freePort();
  const op = await startOpenIdProvider({ redirectUri: `http://127.0.0.1:${port}/api/v2/auth/oauth2/callback` });
  const service = await startTestService(
    {
      OIDC_ISSUER: op.issuer,
      OIDC_CLIENT_ID: op.clientId,
      OIDC_CLIENT_SECRET: op.clientSecret,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      ...env,
    },
    { port },
  );
  return { op, service };
}
