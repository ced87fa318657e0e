// The auth procedures: every published sign-in method, logout, what the caller is, the password
// reset of a forgotten password, sign-up (a person making its own account, when open), and a person
// moving its own account to a new address. Each has its REST route (the `openapi` meta, documented
// under the `Auth` tag; the public ones need no token) and is the same procedure over native tRPC.
import { z } from 'zod';
import {
  EmailCodeAcceptedSchema,
  EmailCodeRequestSchema,
  EmailCodeVerifySchema,
  LoginResultSchema,
  LoginSchema,
  OAuth2AuthorizeInput,
  PasswordForgotSchema,
  PasswordResetDoneSchema,
  PasswordResetSchema,
  PasswordResetSentSchema,
  SendPasswordResetInput,
  OAuth2CallbackInput,
  OAuth2TokenSchema,
  RedirectSchema,
  SessionSchema,
  SignInMethodsSchema,
  JwksSchema,
  TokenSchema,
  TotpTokenSchema,
  TotpVerifySchema,
} from './auth-schemas';
import { restOperation, restOperations } from '../trpc/rest-operation';
import { adminProcedure, protectedProcedure, publicProcedure, router } from '../trpc/procedures';
import { requestEmailCode, verifyEmailCode } from './email-code/email-code';
import { authorize, callback, exchangeLoginCode } from './oauth2/oauth2';
import { completeProviderSignUp, lookUpSignUp } from './oauth2/oauth2-sign-up';
import { linkStatus, linkStatusOfUser, startLink, unlink, unlinkUser } from './oauth2/oauth2-link';
import { OAuth2LinkRequestSchema, OAuth2LinkStartedSchema, OAuth2LinkStatusSchema } from './oauth2/oauth2-link-schemas';
import {
  OAuth2SignUpIdentitySchema,
  OAuth2SignUpLookupSchema,
  OAuth2SignUpSchema,
} from './oauth2/oauth2-sign-up-schemas';
import { passwordSignIn } from './password/password-sign-in';
import { forgotPassword, resetPassword, sendResetByAdmin } from './password-reset/password-reset';
import { revokeToken } from './revocation';
import { endOwnSession } from '../sessions/session-service';
import { verifyTotp } from './totp/totp';
import { impersonate } from './impersonation/impersonation';
import { passkeysRouter } from './passkeys/passkeys-router';
import { completeSignUp, startSignUp } from './sign-up/sign-up';
import { SignUpCompleteSchema, SignUpRequestSchema } from './sign-up/sign-up-schemas';
import { confirmEmailChange, startEmailChange } from './email-change/email-change';
import { EmailChangeConfirmSchema, EmailChangeRequestSchema } from './email-change/email-change-schemas';
import { UserSchema } from '../users/user-schemas';
import {
  ImpersonateInput,
  ImpersonateRequestSchema,
  ImpersonationSchema,
  UserIdInput,
} from '../sessions/session-schemas';

/** An Auth operation: public unless it says `protect`, its description shown as its summary too. */
const operation = restOperations('Auth', { prefix: '/auth', summary: true, protect: false });
/** How long a verifier may keep the published keys before asking again. */
const JWKS_MAX_AGE_SECONDS = 300;

const oauth2Router = router({
  authorize: publicProcedure
    .meta(
      operation('oauth2Authorize', 'GET', '/oauth2/authorize', 'Start signing in with the OpenID provider', {
        rest: { redirect: true },
        success: 'Redirects the browser to the OpenID provider.',
      }),
    )
    .input(OAuth2AuthorizeInput)
    .output(RedirectSchema)
    .query(({ ctx, input }) => authorize(ctx, input.returnTo)),

  callback: publicProcedure
    .meta(
      operation('oauth2Callback', 'GET', '/oauth2/callback', 'Where the OpenID provider sends the browser back', {
        rest: { redirect: true },
        success:
          'Redirects the browser to `returnTo`, with a one-time `code`, or (sign-up open, no account yet) a `signUp` ticket, or with `error` and `error_description`.',
      }),
    )
    .input(OAuth2CallbackInput)
    .output(RedirectSchema)
    .query(({ ctx, input }) => callback(ctx, input)),

  token: publicProcedure
    .meta(
      operation(
        'oauth2Token',
        'POST',
        '/oauth2/token',
        'Exchange the one-time code of the return URL for a token, in the browser that signed in (the cookie the callback set goes along)',
        { requestBody: OAuth2TokenSchema },
      ),
    )
    .input(OAuth2TokenSchema)
    .output(TokenSchema)
    .mutation(({ ctx, input }) => exchangeLoginCode(ctx, input.code)),

  signUpLookup: publicProcedure
    .meta(
      operation(
        'oauth2SignUpLookup',
        'POST',
        '/oauth2/sign-up/lookup',
        'What a `signUp` ticket of the return URL is for: the address the provider verified, and the name it gave',
        { requestBody: OAuth2SignUpLookupSchema },
      ),
    )
    .input(OAuth2SignUpLookupSchema)
    .output(OAuth2SignUpIdentitySchema)
    .mutation(({ ctx, input }) => lookUpSignUp(ctx, input.ticket)),

  signUp: publicProcedure
    .meta(
      operation(
        'oauth2SignUp',
        'POST',
        '/oauth2/sign-up',
        'Make your account with the `signUp` ticket of the return URL and the fields the provider does not give, in the browser that signed in (sign-up open)',
        { requestBody: OAuth2SignUpSchema },
      ),
    )
    .input(OAuth2SignUpSchema)
    .output(TokenSchema)
    .mutation(({ ctx, input }) => completeProviderSignUp(ctx, input)),

  link: protectedProcedure
    .meta(
      operation(
        'oauth2Link',
        'POST',
        '/oauth2/link',
        'Link your identity at the OpenID provider to your own account, so that it signs you in too (a recent sign-in is asked): where to send the browser',
        { protect: true, requestBody: OAuth2LinkRequestSchema },
      ),
    )
    .input(OAuth2LinkRequestSchema)
    .output(OAuth2LinkStartedSchema)
    .mutation(({ ctx, input }) => startLink(ctx, input.returnTo)),

  linked: protectedProcedure
    .meta(
      operation('oauth2Linked', 'GET', '/oauth2/link', 'Whether your account is linked to the OpenID provider', {
        protect: true,
      }),
    )
    .input(z.object({}).optional())
    .output(OAuth2LinkStatusSchema)
    .query(({ ctx }) => linkStatus(ctx)),

  unlink: protectedProcedure
    .meta(
      operation(
        'oauth2Unlink',
        'DELETE',
        '/oauth2/link',
        'Unlink the OpenID provider from your own account: it no longer signs you in, and the sessions it signed in end (a recent sign-in is asked)',
        { protect: true, success: 'Unlinked.' },
      ),
    )
    .input(z.object({}).optional())
    .output(z.undefined())
    .mutation(async ({ ctx }) => {
      await unlink(ctx);
    }),

  linkedOfUser: adminProcedure
    .meta(
      restOperation(
        'Accounts',
        'oauth2LinkedOfUser',
        'GET',
        '/users/{id}/oauth2-link',
        "Whether a user's account is linked to the OpenID provider (admins only)",
        { summary: true, protect: true },
      ),
    )
    .input(UserIdInput)
    .output(OAuth2LinkStatusSchema)
    .query(({ ctx, input }) => linkStatusOfUser(ctx, input.id)),

  unlinkUser: adminProcedure
    .meta(
      restOperation(
        'Accounts',
        'oauth2UnlinkUser',
        'DELETE',
        '/users/{id}/oauth2-link',
        "Unlink the OpenID provider from a user's account (admins only): a provider account the user lost or that was taken over; the sessions it signed in end",
        { summary: true, protect: true, success: 'Unlinked.' },
      ),
    )
    .input(UserIdInput)
    .output(z.undefined())
    .mutation(async ({ ctx, input }) => {
      await unlinkUser(ctx, input.id);
    }),
});

const otpRouter = router({
  request: publicProcedure
    .meta(
      operation('otpRequest', 'POST', '/otp', 'Send a one-time sign-in code to an email address', {
        requestBody: EmailCodeRequestSchema,
        rest: { status: 202 },
        success: 'Accepted: the same answer for every address.',
      }),
    )
    .input(EmailCodeRequestSchema)
    .output(EmailCodeAcceptedSchema)
    .mutation(({ ctx, input }) => requestEmailCode(ctx, input.email)),

  verify: publicProcedure
    .meta(
      operation('otpVerify', 'POST', '/otp/verify', 'Exchange an emailed one-time code for a token', {
        requestBody: EmailCodeVerifySchema,
      }),
    )
    .input(EmailCodeVerifySchema)
    .output(TokenSchema)
    .mutation(({ ctx, input }) => verifyEmailCode(ctx, input)),
});

const passwordRouter = router({
  forgot: publicProcedure
    .meta(
      operation('passwordForgot', 'POST', '/password/forgot', 'Mail a password reset code to an email address', {
        requestBody: PasswordForgotSchema,
        rest: { status: 202 },
        success: 'Accepted: the same answer for every address.',
      }),
    )
    .input(PasswordForgotSchema)
    .output(EmailCodeAcceptedSchema)
    .mutation(({ ctx, input }) => forgotPassword(ctx, input.email)),

  reset: publicProcedure
    .meta(
      operation(
        'passwordReset',
        'POST',
        '/password/reset',
        'Set a new password with a mailed reset code; every session ends, and nobody is signed in',
        { requestBody: PasswordResetSchema },
      ),
    )
    .input(PasswordResetSchema)
    .output(PasswordResetDoneSchema)
    .mutation(({ ctx, input }) => resetPassword(ctx, input)),

  send: adminProcedure
    .meta(
      restOperation(
        'Accounts',
        'sendPasswordReset',
        'POST',
        '/users/{id}/password-reset',
        "Mail a user a password reset code and link, as a forgotten password's (admins only): the admin never sees the code",
        { summary: true, protect: true, rest: { status: 202 }, success: 'Accepted: the mail is sent.' },
      ),
    )
    .input(SendPasswordResetInput)
    .output(PasswordResetSentSchema)
    .mutation(({ ctx, input }) => sendResetByAdmin(ctx, input.id)),
});

const signUpRouter = router({
  start: publicProcedure
    .meta(
      operation('signUpStart', 'POST', '/sign-up', 'Begin making your own account: a code is mailed to the address', {
        requestBody: SignUpRequestSchema,
        rest: { status: 202 },
        success: 'Accepted: the same answer for every address, whether it has an account or not.',
      }),
    )
    .input(SignUpRequestSchema)
    .output(EmailCodeAcceptedSchema)
    .mutation(({ ctx, input }) => startSignUp(ctx, input.email)),

  complete: publicProcedure
    .meta(
      operation(
        'signUpComplete',
        'POST',
        '/sign-up/complete',
        'Make your account with the mailed code and its fields: signed in at once, or the authenticator set up first (authMethod 2)',
        { requestBody: SignUpCompleteSchema },
      ),
    )
    .input(SignUpCompleteSchema)
    .output(LoginResultSchema)
    .mutation(({ ctx, input }) => completeSignUp(ctx, input)),
});

const emailChangeRouter = router({
  start: protectedProcedure
    .meta(
      operation(
        'emailChangeStart',
        'POST',
        '/email-change',
        'Begin moving your own account to a new address: a code is mailed to it (a recent sign-in is asked)',
        {
          protect: true,
          requestBody: EmailChangeRequestSchema,
          rest: { status: 202 },
          success: 'Accepted: the same answer whether the address is free or not.',
        },
      ),
    )
    .input(EmailChangeRequestSchema)
    .output(EmailCodeAcceptedSchema)
    .mutation(({ ctx, input }) => startEmailChange(ctx, input.email)),

  confirm: protectedProcedure
    .meta(
      operation(
        'emailChangeConfirm',
        'POST',
        '/email-change/confirm',
        'Make the new address yours with the code mailed to it; every other session ends',
        { protect: true, requestBody: EmailChangeConfirmSchema },
      ),
    )
    .input(EmailChangeConfirmSchema)
    .output(UserSchema)
    .mutation(({ ctx, input }) => confirmEmailChange(ctx, input)),
});

export const authRouter = router({
  login: publicProcedure
    .meta(
      operation('login', 'POST', '/token', 'Exchange an email and password for a token, or for the TOTP step', {
        requestBody: LoginSchema,
      }),
    )
    .input(LoginSchema)
    .output(LoginResultSchema)
    .mutation(({ ctx, input }) => passwordSignIn(ctx, input)),

  totp: publicProcedure
    .meta(
      operation('totpVerify', 'POST', '/totp', 'Complete a TOTP sign-in with a code or a recovery code', {
        requestBody: TotpVerifySchema,
      }),
    )
    .input(TotpVerifySchema)
    .output(TotpTokenSchema)
    .mutation(({ ctx, input }) => verifyTotp(ctx, input)),

  otp: otpRouter,
  oauth2: oauth2Router,
  password: passwordRouter,
  passkeys: passkeysRouter,
  signUp: signUpRouter,
  emailChange: emailChangeRouter,

  logout: protectedProcedure
    .meta(
      operation('logout', 'POST', '/logout', 'End the Bearer token of this request and its session', {
        protect: true,
        success: 'There is no content to send for this request, but the headers may be useful. ',
      }),
    )
    .input(z.object({}).optional())
    .output(z.undefined())
    .mutation(async ({ ctx }) => {
      await revokeToken(ctx.db.em, ctx.principal, ctx);
      await endOwnSession(ctx, ctx.principal);
      return undefined;
    }),

  impersonate: adminProcedure
    .meta(
      restOperation(
        'Sessions',
        'impersonate',
        'POST',
        '/users/{id}/impersonate',
        'Act as a user (admin): a token of a new session of the user, naming the admin as its actor, for at most an hour; the user sees it in its sessions and history',
        { summary: true, protect: true, requestBody: ImpersonateRequestSchema },
      ),
    )
    .input(ImpersonateInput)
    .output(ImpersonationSchema)
    .mutation(({ ctx, input }) => impersonate(ctx, input)),

  session: protectedProcedure
    .meta(operation('session', 'GET', '/session', 'Who the Bearer token of this request signs in', { protect: true }))
    .input(z.object({}).optional())
    .output(SessionSchema)
    .query(({ ctx }) => ({
      userId: ctx.principal.id,
      role: ctx.principal.role,
      expiresAt: ctx.principal.expiresAt ?? null,
      ...(ctx.principal.impersonator === undefined ? {} : { impersonator: ctx.principal.impersonator }),
    })),

  jwks: publicProcedure
    .meta(
      operation(
        'jwks',
        'GET',
        '/jwks',
        "The public keys access tokens are verified with (a JWK Set): a product's backend checks a Bearer token with them on its own",
      ),
    )
    .input(z.object({}).optional())
    .output(JwksSchema)
    .query(({ ctx }) => {
      // verifiers cache the set; a new key is published ahead of signing (docs/operations.md)
      ctx.responseHeaders['Cache-Control'] = `public, max-age=${JWKS_MAX_AGE_SECONDS}`;
      return ctx.tokens.publicKeys;
    }),

  methods: publicProcedure
    .meta(operation('methods', 'GET', '/methods', 'The sign-in methods this service offers'))
    .input(z.object({}).optional())
    .output(SignInMethodsSchema)
    .query(({ ctx }) => ({
      password: true,
      emailCode: ctx.mail !== null,
      oauth2: ctx.oidc ? { name: ctx.oidc.name, signUp: ctx.signUp.open } : null,
      passkeys: { rpId: ctx.passkeys.rpId },
      signUp: ctx.signUp.open && ctx.mail !== null ? { domains: ctx.signUp.domains } : null,
    })),
});
