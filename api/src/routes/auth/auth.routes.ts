import { createRoute, z } from '@hono/zod-openapi';
import { authedRoute } from '../../lib/route.ts';
import { errorResponses, jsonBody, jsonResponse } from '../../lib/schemas.ts';
import { UserSchema } from '../users/users.schemas.ts';

const TokenPairSchema = z
  .object({
    access: z.string().openapi({ description: 'Access token (JWT), valid for 15 minutes' }),
    refresh: z.string().openapi({ description: 'Refresh token; single use, rotates on every refresh' }),
    access_expires_in: z.number().int().openapi({ description: 'Seconds until the access token expires' }),
  })
  .openapi('TokenPair');

const LoginSchema = z
  .object({
    email: z.string().trim().toLowerCase().email().max(254),
    password: z.string().min(1).max(1024),
  })
  .strict()
  .openapi('Login');

const RefreshSchema = z.object({ refresh: z.string().min(1).max(512) }).strict().openapi('RefreshRequest');

export const obtainToken = createRoute({
  method: 'post',
  path: '/auth/token',
  tags: ['auth'],
  summary: 'Sign in: obtain an access and refresh token pair',
  request: jsonBody(LoginSchema),
  responses: {
    200: jsonResponse(TokenPairSchema.extend({ user: UserSchema }), 'Signed in'),
    400: errorResponses[400],
    401: errorResponses[401],
    429: jsonResponse(errorResponses[400].content['application/json'].schema, 'Too many attempts; see Retry-After'),
  },
});

export const refreshToken = createRoute({
  method: 'post',
  path: '/auth/token/refresh',
  tags: ['auth'],
  summary: 'Spend a refresh token for a new token pair',
  request: jsonBody(RefreshSchema),
  responses: {
    200: jsonResponse(TokenPairSchema, 'New token pair; the old refresh token is spent'),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});

export const logout = createRoute({
  method: 'post',
  path: '/auth/logout',
  tags: ['auth'],
  summary: 'Sign out: revoke the refresh token and every token rotated from it',
  request: jsonBody(RefreshSchema),
  responses: { 204: { description: 'Signed out' }, 400: errorResponses[400] },
});

export const me = authedRoute({
  method: 'get',
  path: '/auth/me',
  tags: ['auth'],
  summary: 'The signed-in user',
  responses: { 200: jsonResponse(UserSchema, 'The signed-in user') },
});
