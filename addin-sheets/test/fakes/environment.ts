/**
 * What every fake Apps Script service shares: the clock, who is running the script, and the
 * current execution.
 *
 * Apps Script runs each call (a menu item, a `google.script.run` call, a trigger) as a separate
 * execution of the whole script project, as some user, for at most 6 minutes. The runtime
 * (test/support/runtime.ts) opens an execution here before it runs the bundle and closes it
 * after; services check the time limit on every call, the way Apps Script stops a script that ran
 * too long ("Exceeded maximum execution time"), and locks held by an execution are released when
 * it ends, as Apps Script does.
 */

/** Apps Script's limit for one execution (consumer and Workspace accounts alike). */
export const EXECUTION_LIMIT_MS = 6 * 60 * 1000;

export class FakeClock {
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  /** Moves time forward for the script (the API keeps real time). */
  advance(ms: number): void {
    this.offset += ms;
  }
}

export interface Execution {
  id: number;
  user: string;
  startedAt: number;
  /** What started it: `simple-trigger`, `menu`, `sidebar`, `trigger`. */
  kind: string;
}

export class FakeEnvironment {
  readonly clock = new FakeClock();
  /** The Google account whose browser (or trigger) runs the script now. */
  user = 'owner@example.test';
  execution: Execution | null = null;
  private nextExecution = 1;
  readonly log: { level: 'log' | 'info' | 'warn' | 'error'; message: string }[] = [];
  private readonly endListeners: ((execution: Execution) => void)[] = [];

  begin(kind: string, user = this.user): Execution {
    if (this.execution) throw new Error(`fake Apps Script: execution ${this.execution.id} is still running`);
    this.execution = { id: this.nextExecution++, user, startedAt: this.clock.now(), kind };
    return this.execution;
  }

  end(): void {
    const finished = this.execution;
    this.execution = null;
    if (finished) for (const listener of this.endListeners) listener(finished);
  }

  onExecutionEnd(listener: (execution: Execution) => void): void {
    this.endListeners.push(listener);
  }

  /** Called by every service method: the running execution, stopped when it ran too long. */
  current(): Execution {
    const execution = this.execution;
    if (!execution) throw new Error('fake Apps Script: a service was called outside an execution');
    if (this.clock.now() - execution.startedAt > EXECUTION_LIMIT_MS) throw new Error('Exceeded maximum execution time');
    return execution;
  }

  /** The user of the running execution. */
  get activeUser(): string {
    return this.current().user;
  }
}

/** Google's exceptions read "Exception: …" in logs; the message itself is what scripts see. */
export function appsScriptError(message: string): Error {
  const error = new Error(message);
  error.name = 'Exception';
  return error;
}
