// The sign-in procedure: REST `POST /api/v2/auth/token`, documented under its own tag.
import { TRPCError } from '@trpc/server';
import { login } from './auth-service';
import { LoginSchema, TokenSchema } from './schemas/auth';
import { publicProcedure, router } from './trpc';

export const authRouter = router({
  login: publicProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api/v2/auth/token',
        operationId: 'Auth_login',
        description: 'Exchange an email and password for a Bearer token',
        tags: ['Auth'],
        protect: false,
        successDescription: 'The request has succeeded.',
        errorResponses: {},
      },
      requestBody: LoginSchema,
    })
    .input(LoginSchema)
    .output(TokenSchema)
    .use(async ({ ctx, input, next }) => {
      // per address against spraying, per email against guessing one account's password
      const verdict = await ctx.loginLimiter.hit({ address: ctx.clientAddress, email: input.email.toLowerCase() });
      if (!verdict.allowed) {
        ctx.responseHeaders['Retry-After'] = String(verdict.retryAfterSeconds);
        throw new TRPCError({
          code: 'TOO_MANY_REQUESTS',
          message: `too many sign-in attempts; try again in ${verdict.retryAfterSeconds} s`,
        });
      }
      return next();
    })
    .mutation(({ ctx, input }) => login(ctx.db.em, ctx.passwords, ctx.tokens, input)),
});
