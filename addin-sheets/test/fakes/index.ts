/**
 * One fake Google Sheets world: a spreadsheet with its UI, and the Apps Script services the
 * add-in uses, sharing one environment (clock, users, executions). `globals()` is what the
 * bundled server code sees as its global scope (test/support/runtime.ts).
 */
import { FakeEnvironment } from './environment.ts';
import { createHtmlService, createSession, FakeScriptApp } from './script-app.ts';
import { createSpreadsheetApp, FakeSpreadsheet, FakeUi } from './spreadsheet.ts';
import { FakeCacheService, FakeLockService, FakePropertiesService } from './storage.ts';
import type { SyncHttp } from './sync-http.ts';
import { FakeUrlFetchApp } from './url-fetch.ts';

export interface ManifestLike {
  oauthScopes?: string[];
  urlFetchWhitelist?: string[];
}

export interface WorldOptions {
  /** The Apps Script project folder (build output): HtmlService serves its .html files. */
  projectDir: string;
  manifest: ManifestLike;
  http: SyncHttp;
  timeZone?: string;
}

export class AppsScriptWorld {
  readonly env = new FakeEnvironment();
  readonly ui = new FakeUi(this.env);
  readonly spreadsheet: FakeSpreadsheet;
  readonly properties = new FakePropertiesService(this.env);
  readonly cache = new FakeCacheService(this.env);
  readonly locks = new FakeLockService(this.env);
  readonly urlFetch: FakeUrlFetchApp;
  readonly scriptApp = new FakeScriptApp(this.env);
  private readonly projectDir: string;

  constructor(options: WorldOptions) {
    this.spreadsheet = new FakeSpreadsheet(this.env, this.ui, options.timeZone ?? 'Europe/Berlin');
    this.urlFetch = new FakeUrlFetchApp(this.env, options.http);
    this.urlFetch.whitelist = [...(options.manifest.urlFetchWhitelist ?? [])];
    this.scriptApp.scopes = [...(options.manifest.oauthScopes ?? [])];
    this.projectDir = options.projectDir;
  }

  /** The services as globals of the script. */
  globals(): Record<string, unknown> {
    const env = this.env;
    return {
      SpreadsheetApp: createSpreadsheetApp(this.spreadsheet),
      PropertiesService: this.properties,
      CacheService: this.cache,
      LockService: this.locks,
      UrlFetchApp: { fetch: this.urlFetch.fetch },
      ScriptApp: this.scriptApp,
      Session: createSession(env),
      HtmlService: createHtmlService(env, this.projectDir),
      Utilities: {
        sleep: (ms: number) => env.clock.advance(ms),
      },
    };
  }

  /** A user's properties, read by tests without running the script. */
  userProperties(user = this.env.user): Map<string, string> {
    return this.properties.forUser(user).values;
  }
}

export { FakeEnvironment } from './environment.ts';
export { FakeSheet, FakeSpreadsheet } from './spreadsheet.ts';
export { SyncHttp } from './sync-http.ts';
