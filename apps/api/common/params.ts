import {
  Param,
  ParseUUIDPipe,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type PipeTransform,
} from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { Observable } from 'rxjs';
import { parameterProblems, safeName } from './input-text.js';
import { type FieldError, ProblemException } from './problem.js';

/** A UUID path parameter: anything else answers 400 naming it (in bokmål). */
export const UuidParam = (name: string, version?: '4') =>
  Param(
    name,
    new ParseUUIDPipe({
      ...(version ? { version } : {}),
      exceptionFactory: () =>
        new ProblemException(400, 'Ett eller flere felt er ugyldige.', [
          { field: name, reason: 'må være en UUID' },
        ]),
    }),
  );

interface RouteArgument {
  readonly index: number;
  readonly data?: unknown;
  readonly pipes?: readonly unknown[];
}

const isPipe = (pipe: unknown): pipe is PipeTransform =>
  typeof pipe === 'object' && pipe !== null && typeof (pipe as PipeTransform).transform === 'function';

/** The pipes a handler declares for each of its path parameters (`@Param(name, ...pipes)`), by name. */
function declaredPipes(context: ExecutionContext): Map<string, PipeTransform[]> {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ??
    {}) as Record<string, RouteArgument>;
  const pipes = new Map<string, PipeTransform[]>();
  for (const [key, arg] of Object.entries(args)) {
    if (Number(key.split(':')[0]) !== Number(RouteParamtypes.PARAM) || typeof arg.data !== 'string') continue;
    pipes.set(arg.data, [...(pipes.get(arg.data) ?? []), ...(arg.pipes ?? []).filter(isPipe)]);
  }
  return pipes;
}

/** Why one path parameter is refused: control characters first, then the handler's own pipes. */
async function problemsOf(
  name: string,
  value: unknown,
  pipes: readonly PipeTransform[],
): Promise<FieldError[]> {
  const text = parameterProblems(value, safeName(name));
  if (text.length > 0) return text;
  for (const pipe of pipes) {
    try {
      await pipe.transform(value, { type: 'param', data: name });
    } catch (error) {
      if (error instanceof ProblemException && error.errors) return [...error.errors];
      throw error;
    }
  }
  return [];
}

/**
 * Every path parameter of a request checked together, after authentication and before the handler's
 * pipes or anything the handler looks up: a request with two bad parameters is told of both (Nest's
 * own pipes stop at the first). Each parameter is checked as its pipes check it (`UuidParam`), and
 * every one for control characters, as the global validation pipe does.
 */
export class PathParamsInterceptor implements NestInterceptor {
  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const params = context.switchToHttp().getRequest<{ params?: Record<string, unknown> }>().params ?? {};
    const names = Object.keys(params);
    if (names.length > 0) {
      const pipes = declaredPipes(context);
      const errors = (
        await Promise.all(names.map((name) => problemsOf(name, params[name], pipes.get(name) ?? [])))
      ).flat();
      if (errors.length > 0) throw new ProblemException(400, 'Ett eller flere felt er ugyldige.', errors);
    }
    return next.handle();
  }
}
