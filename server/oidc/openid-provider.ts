// The OpenID provider as this service knows it: its settings, the redirect URI it calls back on,
// and its metadata, discovered through openid-client on first use (and again after a failure).
// Infrastructure the OAuth2 sign-in (router/auth/oauth2) uses; it knows nothing of sign-in state.
import { TRPCError } from '@trpc/server';
import * as oidc from 'openid-client';

export const CALLBACK_PATH = '/api/v2/auth/oauth2/callback';
/**
 * Where a browser redeems the one-time login code: the REST route and the native tRPC procedure
 * (a cookie scoped to these paths goes only there; a tRPC batch that names another procedure as
 * well has another path, so the code is redeemed in a call of its own).
 */
export const LOGIN_CODE_PATHS = ['/api/v2/auth/oauth2/token', '/trpc/auth.oauth2.token'] as const;
/** Where a sign-up ticket (a new identity's, while sign-up is open) is redeemed: its cookie's paths. */
export const SIGN_UP_TICKET_PATHS = ['/api/v2/auth/oauth2/sign-up', '/trpc/auth.oauth2.signUp'] as const;

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The service's external base URL; the redirect URI is `${publicUrl}${CALLBACK_PATH}`. */
  publicUrl: string;
  /** Shown on the "Sign in with …" button. */
  providerName: string;
}

/** The provider as this service knows it: settings, and its metadata discovered on first use. */
export class OidcProvider {
  private configuration: Promise<oidc.Configuration> | undefined;
  readonly redirectUri: string;

  constructor(readonly settings: OidcSettings) {
    this.redirectUri = `${settings.publicUrl.replace(/\/$/, '')}${CALLBACK_PATH}`;
  }

  get name(): string {
    return this.settings.providerName;
  }

  /** Discovery, once; a failure is forgotten so the next sign-in tries again. */
  config(): Promise<oidc.Configuration> {
    this.configuration ??= discover(this.settings).catch((error: unknown) => {
      this.configuration = undefined;
      throw new TRPCError({
        code: 'SERVICE_UNAVAILABLE',
        message: `the OpenID provider (${this.settings.issuer}) cannot be reached; try again later`,
        cause: error,
      });
    });
    return this.configuration;
  }
}

function discover({ issuer, clientId, clientSecret }: OidcSettings): Promise<oidc.Configuration> {
  const url = new URL(issuer);
  // plain http only for a provider on this machine (configuration refuses it anywhere else)
  const execute = url.protocol === 'http:' ? [oidc.allowInsecureRequests] : [];
  return oidc.discovery(url, clientId, { client_secret: clientSecret }, oidc.ClientSecretPost(clientSecret), {
    execute,
  });
}
