/**
 * The API on a local port (@hono/node-server), serving the freshly built task pane too, so the
 * pane and the API share one origin as they do in development (`https://localhost:8443`).
 *
 * Requests under /addin/ go to the API's own add-in route (api/src/routes/addin/, the same
 * `registerAddinRoutes` createApp installs) with the pane folder pointed at the test's build
 * instead of addin-excel/dist/taskpane/; everything else goes to the app of the test harness
 * (createApp with a real PostgreSQL database and Redis).
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { ADDIN_BASE_PATH, ASSETS_DIR, ASSETS_PATH } from '../../src/paths.ts';
import { registerAddinRoutes } from '../../../api/src/routes/addin/addin.index.ts';
import type { AppBindings } from '../../../api/src/lib/types.ts';

export interface RunningServer {
  origin: string;
  close(): Promise<void>;
}

export async function startServer(app: { fetch: (request: Request) => Response | Promise<Response> }, taskpaneDir: string): Promise<RunningServer> {
  const addin = new Hono<AppBindings>();
  registerAddinRoutes(addin, [
    { urlPath: ASSETS_PATH, dir: ASSETS_DIR, hashedAssets: false },
    { urlPath: `${ADDIN_BASE_PATH}/`, dir: taskpaneDir, hashedAssets: true },
  ]);
  const fetch = (request: Request) => {
    const { pathname } = new URL(request.url);
    const isAddin = pathname === ADDIN_BASE_PATH || pathname.startsWith(`${ADDIN_BASE_PATH}/`);
    return isAddin ? addin.fetch(request) : app.fetch(request);
  };
  const server = await new Promise<ServerType>((resolve) => {
    const started = serve({ fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        // Open server-sent event streams would keep close() waiting.
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
