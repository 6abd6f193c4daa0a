import {
  ForeignKeyConstraintViolationException,
  OptimisticLockError,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { GreenfinError } from '@greenfin/core';
import type { Middleware } from 'koa';
import type { AppState } from './context.js';
import { HttpProblem, jsonPointer, type Problem, problems, splitDottedPath } from './problem.js';

export interface ErrorMiddlewareOptions {
  /** Human explanations for unique constraints, by constraint name, e.g. a duplicate company. */
  conflicts?: Record<string, string>;
}

/**
 * The project's one try/catch. Every error becomes RFC 9457 problem details: HTTP problems as
 * thrown, core's `GreenfinError` as 422 with the field's JSON pointer, unique-constraint races as
 * 409, optimistic-lock failures as 412, Koa's own client errors as themselves, and anything else
 * as a 500 that reveals nothing but the request id (the log has the stack).
 */
export function errorMiddleware(options: ErrorMiddlewareOptions = {}): Middleware<AppState> {
  return async function problemDetails(ctx, next) {
    try {
      await next();
    } catch (error: unknown) {
      const problem = toProblem(error, options);
      if (problem.status >= 500) ctx.state.log.error({ err: error }, 'request failed');
      else ctx.state.log.debug({ err: { message: (error as Error).message } }, 'request rejected');
      for (const [name, value] of Object.entries(problem.extra.headers ?? {})) ctx.set(name, value);
      const body: Problem = {
        type: `/problems/${problem.slug}`,
        title: problem.title,
        status: problem.status,
        ...(problem.detail ? { detail: problem.detail } : {}),
        instance: ctx.path,
        requestId: ctx.state.requestId,
        ...(problem.extra.errors ? { errors: problem.extra.errors } : {}),
      };
      ctx.status = problem.status;
      ctx.type = 'application/problem+json';
      ctx.body = body;
    }
  };
}

function toProblem(error: unknown, options: ErrorMiddlewareOptions): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof GreenfinError) {
    const pointer = jsonPointer(splitDottedPath(error.path));
    return problems.unprocessable(error.message, 'domain-rule', [
      { in: 'body', pointer, code: error.code, detail: error.message },
    ]);
  }
  if (error instanceof UniqueConstraintViolationException) {
    const constraint = (error as { constraint?: string }).constraint ?? '';
    return problems.conflict(options.conflicts?.[constraint] ?? 'The resource already exists.', 'duplicate');
  }
  if (error instanceof ForeignKeyConstraintViolationException) {
    return problems.conflict(
      'The resource is referenced by, or refers to, another that does not allow this.',
    );
  }
  if (error instanceof OptimisticLockError) {
    return problems.preconditionFailed('The resource was changed by another request; fetch it again.');
  }
  // Koa's and http-errors' client errors (e.g. a URI that cannot be decoded).
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const expose = (error as { expose?: boolean }).expose;
    return new HttpProblem(
      status,
      'client-error',
      'Bad request',
      expose ? (error as Error).message : undefined,
    );
  }
  return problems.internal();
}
