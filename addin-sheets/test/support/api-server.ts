/**
 * Starts the StoreSync API over real HTTP in a child process (api-process.ts) on the test file's
 * database, Redis and BullMQ prefix (from the harness's TestContext), so the generation worker the
 * harness starts in the test process picks up the jobs this API queues.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { TEST_JWT_SECRET, type TestContext } from '../../../api/test/harness.ts';

export interface RunningApi {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  stop(): Promise<void>;
}

export async function startApiProcess(ctx: TestContext, extraEnv: Record<string, string> = {}): Promise<RunningApi> {
  const spec = {
    env: {
      NODE_ENV: 'test',
      DATABASE_URL: ctx.env.DATABASE_URL,
      DATABASE_POOL_SIZE: '4',
      REDIS_URL: ctx.env.REDIS_URL,
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'silent',
      ...extraEnv,
    },
    redisKeyPrefix: `test:${randomUUID()}:`,
    queuePrefix: ctx.queuePrefix,
  };
  const child: ChildProcess = fork(fileURLToPath(new URL('./api-process.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, STORESYNC_TEST_API: JSON.stringify(spec) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the API process did not start within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`the API process exited with ${code} before it was ready`)));
    child.on('message', (message: { type: string; port?: number }) => {
      if (message.type === 'ready' && message.port) {
        clearTimeout(timer);
        resolve(message.port);
      }
    });
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.send({ type: 'stop' });
      }),
  };
}
