import { OpenAPIHono } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import { validationFailed, type FieldProblem } from './errors.ts';
import type { AppBindings } from './types.ts';

export function zodProblems(error: ZodError, prefix = ''): FieldProblem[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return { field: [path, ...issue.keys].filter(Boolean).join('.') || '(body)', message: `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}; remove ${issue.keys.length > 1 ? 'them' : 'it'}` };
    }
    return { field: path || '(body)', message: issue.message };
  });
}

/** A router whose request validation failures all become our 400 error body. */
export function createRouter() {
  return new OpenAPIHono<AppBindings>({
    defaultHook: (result) => {
      if (!result.success) {
        throw validationFailed(zodProblems(result.error, result.target === 'json' ? '' : result.target));
      }
    },
  });
}

export type AppRouter = ReturnType<typeof createRouter>;
