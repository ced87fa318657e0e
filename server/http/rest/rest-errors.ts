// How the REST API answers when something goes wrong: always `{"code": 100001, "msg": ...}`
// with the right status. Client errors (4xx) say what was wrong; server errors say nothing more
// than that they happened (the request log records them, without request data).
import type { TRPCError } from '@trpc/server';
import type { Middleware } from 'koa';
import { StatusCode } from '../../../entities/enums';
import type { ErrorBody } from '../../../router/trpc/common-schemas';
import { loggableError, reauthenticationOf } from '../../../router/trpc/api-errors';
import { noteRequest } from '../../ops/request-notes';
import { tokenEndpointRefusal } from './oauth2-endpoint';

export function errorBody(msg: string): ErrorBody {
  return { code: StatusCode.FAILURE, msg };
}

/**
 * The `WWW-Authenticate` of a 401 (RFC 6750 §3): `Bearer` when no token came, `invalid_token` when
 * one was refused, and RFC 9470's `insufficient_user_authentication` with `max_age` when the token
 * is good but its sign-in is too old for the call.
 */
export function bearerChallenge(error: TRPCError, tokenSent: boolean): string {
  const stepUp = reauthenticationOf(error);
  if (stepUp) {
    return (
      'Bearer error="insufficient_user_authentication", ' +
      `error_description="A more recent sign-in is required: sign in again", max_age=${stepUp.maxAgeSeconds}`
    );
  }
  return tokenSent ? 'Bearer error="invalid_token"' : 'Bearer';
}

interface HttpErrorLike {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  message?: string;
  headers?: Record<string, string>;
}

/** Wraps the REST API: errors thrown below become error bodies; an unmatched path is a 404. */
export function restErrors(prefix: string): Middleware {
  return async (ctx, next) => {
    if (!ctx.path.startsWith(`${prefix}/`) && ctx.path !== prefix) {
      await next();
      return;
    }
    try {
      await next();
      if (ctx.status === 404 && ctx.body == null) {
        ctx.status = 404; // set explicitly: Koa turns an implicit 404 into 200 when a body is set
        ctx.body = errorBody(`no such endpoint: ${ctx.method} ${ctx.path}`);
      }
    } catch (caught) {
      const error = (caught ?? {}) as HttpErrorLike;
      const status = error.status ?? error.statusCode ?? 500;
      const isClientError = status >= 400 && status < 500;
      if (!isClientError) noteRequest(ctx.req, { error: loggableError(caught) });
      ctx.status = isClientError ? status : 500;
      ctx.set(isClientError && error.headers ? error.headers : {});
      ctx.body = tokenEndpointRefusal(
        ctx,
        ctx.status,
        errorBody(isClientError && error.expose !== false && error.message ? error.message : 'internal server error'),
      );
    }
  };
}
