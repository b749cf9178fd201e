/**
 * Runs the BUILT server code (build output Code.js) the way Apps Script does: every call is a new
 * execution that evaluates the whole script afresh in its own global scope (a new vm context,
 * with the fake services as globals and a Date that follows the fake clock), as a given user,
 * then calls one top-level function by name. Nothing survives between executions except what
 * the services store (properties, cache, the spreadsheet, triggers).
 *
 * `sidebar(name, …)` calls like `google.script.run` does: arguments and answers must be of the
 * types Google allows (no Date, no function), and are copied, never shared.
 */
import vm from 'node:vm';
import type { AppsScriptWorld } from '../fakes/index.ts';

const VIRTUAL_DATE = `
(() => {
  const RealDate = Date;
  const now = () => __clockNow();
  function VirtualDate(...args) {
    if (!new.target) return new RealDate(now()).toString();
    return args.length === 0 ? new RealDate(now()) : new RealDate(...args);
  }
  VirtualDate.prototype = RealDate.prototype;
  VirtualDate.now = now;
  VirtualDate.UTC = RealDate.UTC;
  VirtualDate.parse = RealDate.parse;
  globalThis.Date = VirtualDate;
})();
`;

/** google.script.run refuses Dates, functions and other non-plain values anywhere in the payload. */
export function assertScriptRunValue(value: unknown, where: string): void {
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertScriptRunValue(item, `${where}[${index}]`));
    return;
  }
  if (typeof value === 'object' && Object.prototype.toString.call(value) === '[object Object]') {
    for (const [key, item] of Object.entries(value)) assertScriptRunValue(item, `${where}.${key}`);
    return;
  }
  throw new Error(`google.script.run cannot pass ${Object.prototype.toString.call(value)} (${where})`);
}

const copy = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

export class AppsScriptRuntime {
  private readonly script: vm.Script;
  /** Names of every execution, in order: tests count round trips with it. */
  readonly executions: { kind: string; name: string; user: string }[] = [];

  constructor(
    readonly world: AppsScriptWorld,
    code: string,
  ) {
    this.script = new vm.Script(code, { filename: 'Code.js' });
  }

  /** One execution of the top-level function `name`. */
  run<T = unknown>(kind: string, name: string, args: unknown[] = [], user = this.world.env.user): T {
    const env = this.world.env;
    env.begin(kind, user);
    this.executions.push({ kind, name, user });
    try {
      const log = (level: 'log' | 'info' | 'warn' | 'error') => (...parts: unknown[]) => env.log.push({ level, message: parts.map(String).join(' ') });
      const context = vm.createContext({
        ...this.world.globals(),
        console: { log: log('log'), info: log('info'), warn: log('warn'), error: log('error') },
        Logger: { log: log('log') },
        __clockNow: () => env.clock.now(),
      });
      vm.runInContext(VIRTUAL_DATE, context);
      this.script.runInContext(context);
      const entry = (context as Record<string, unknown>)[name];
      if (typeof entry !== 'function') throw new Error(`Script function not found: ${name}`);
      return (entry as (...values: unknown[]) => T)(...args);
    } finally {
      env.end();
    }
  }

  /** As `google.script.run.<name>(…args)` from a sidebar of `user`: a promise, like the client's handlers. */
  sidebar<T = unknown>(name: string, args: unknown[] = [], user = this.world.env.user): Promise<T> {
    try {
      assertScriptRunValue(args, 'arguments');
      const answer = this.run<T>('sidebar', name, copy(args), user);
      assertScriptRunValue(answer, 'answer');
      return Promise.resolve(copy(answer));
    } catch (error) {
      // The failure handler gets an Error with the server's message.
      return Promise.reject(new Error(error instanceof Error ? error.message : String(error)));
    }
  }

  /** Opening the spreadsheet: the `onOpen` simple trigger. */
  open(user = this.world.env.user): void {
    this.run('simple-trigger', 'onOpen', [{ authMode: 'LIMITED', source: this.world.spreadsheet, user: { getEmail: () => user } }], user);
  }

  /** A menu item, as the person clicks it. */
  menu(caption: string, user = this.world.env.user): void {
    const item = this.world.ui.menus.flatMap((menu) => menu.items).find((candidate) => candidate.caption === caption);
    if (!item) throw new Error(`no menu item "${caption}" (menus: ${JSON.stringify(this.world.ui.menus)})`);
    this.run('menu', item.functionName, [], user);
  }

  /** The person edits cells: the values land, then the `onEdit` simple trigger runs for the range. */
  edit(sheetName: string, row: number, column: number, values: unknown[][], user = this.world.env.user): void {
    const sheet = this.world.spreadsheet.getSheetByName(sheetName);
    if (!sheet) throw new Error(`no sheet ${sheetName}`);
    sheet.type(row, column, values);
    const env = this.world.env;
    env.begin('simple-trigger', user);
    this.executions.push({ kind: 'simple-trigger', name: 'onEdit', user });
    let event: unknown;
    try {
      event = { range: sheet.getRange(row, column, values.length, values[0]?.length ?? 1), authMode: 'LIMITED', user: { getEmail: () => user } };
    } finally {
      env.end();
    }
    this.run('simple-trigger', 'onEdit', [event], user);
  }

  /** Fires every time-driven trigger of `user` once (or of everyone), each as its own execution. */
  fireTriggers(user?: string): number {
    const due = this.world.scriptApp.triggers.filter((trigger) => user === undefined || trigger.user === user);
    for (const trigger of due) {
      // A trigger deleted by an earlier run in this loop does not fire.
      if (!this.world.scriptApp.triggers.includes(trigger)) continue;
      this.run('trigger', trigger.handler, [{ authMode: 'FULL', triggerUid: trigger.id }], trigger.user);
    }
    return due.length;
  }
}
