/**
 * The web approval page at /approvals, served by the API itself (Hono JSX, no front-end build).
 * Outside the OpenAPI document: it answers HTML to browsers, signed in with a session cookie.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { Hono } from 'hono';
import type { AppBindings } from '../../lib/types.ts';
import {
  assetHandler,
  bulkApproveHandler,
  campaignHandler,
  decisionHandler,
  queueHandler,
  signInHandler,
  signInPageHandler,
  signOutHandler,
  webErrorHandler,
  webNotFoundHandler,
} from './approvals.handlers.tsx';
import { linkDecisionHandler, linkHandler } from './links.handlers.tsx';

export function registerApprovalRoutes(app: OpenAPIHono<AppBindings>) {
  const web = new Hono<AppBindings>()
    .get('/assets/:file', assetHandler)
    .get('/sign-in', signInPageHandler)
    .post('/sign-in', signInHandler)
    .post('/sign-out', signOutHandler)
    .get('/', queueHandler)
    .post('/bulk-approve', bulkApproveHandler)
    .get('/campaigns/:id', campaignHandler)
    .post('/campaigns/:id/decision', decisionHandler)
    .get('/links/:token', linkHandler)
    .post('/links/:token', linkDecisionHandler)
    .all('*', webNotFoundHandler);
  web.onError(webErrorHandler);
  app.route('/approvals', web);
}
