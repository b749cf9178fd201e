/**
 * `google.script.run` as typed promises: the only place in the browser that talks to the Apps
 * Script server. Each call is one server execution, so callers keep them few per action.
 */
import type { SheetsServer } from '../shared/server-api.ts';

type Runner = {
  withSuccessHandler(handler: (value: unknown) => void): Runner;
  withFailureHandler(handler: (error: unknown) => void): Runner;
} & Record<string, (...args: unknown[]) => void>;

interface GoogleScriptGlobals {
  google?: { script?: { run?: Runner; host?: { close(): void } } };
}

export type CallServer = <K extends keyof SheetsServer>(name: K, ...args: Parameters<SheetsServer[K]>) => Promise<ReturnType<SheetsServer[K]>>;

/** Apps Script passes failures as Error-like objects (or strings): always an Error with its message. */
function asError(error: unknown, name: string): Error {
  if (error instanceof Error) return error;
  if (typeof error === 'object' && error !== null && 'message' in error) return new Error(String((error).message));
  return new Error(typeof error === 'string' && error ? error : `StoreSync's server call ${name} failed.`);
}

export function serverCaller(globals: GoogleScriptGlobals = globalThis as GoogleScriptGlobals): CallServer {
  return (name, ...args) =>
    new Promise((resolve, reject) => {
      const run = globals.google?.script?.run;
      if (!run) {
        reject(new Error('StoreSync must be opened from the StoreSync menu of a Google Sheets spreadsheet (google.script.run is missing).'));
        return;
      }
      const runner = run
        .withSuccessHandler((value) => resolve(value as ReturnType<SheetsServer[typeof name]>))
        .withFailureHandler((error) => reject(asError(error, name)));
      const call = runner[name];
      if (typeof call !== 'function') {
        reject(new Error(`The StoreSync server has no function ${name}; deploy the add-in again.`));
        return;
      }
      call(...args);
    });
}
