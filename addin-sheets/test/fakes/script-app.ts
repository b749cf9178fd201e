/**
 * Fakes of ScriptApp, Session and HtmlService:
 * - installable triggers belong to the user who created them; `getProjectTriggers()` lists only
 *   the running user's; `everyMinutes` takes 1, 5, 10, 15 or 30; a user has at most 20 triggers
 *   per script;
 * - `getIdentityToken()` gives an OpenID Connect ID token of the running user only when the
 *   manifest asks for the `openid` scope (tests provide the tokens, signed by a stand-in Google);
 * - `HtmlService.createHtmlOutputFromFile(name)` serves `name.html` of the project (the build
 *   folder), and throws when there is none.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { appsScriptError, type FakeEnvironment } from './environment.ts';

export interface FakeTrigger {
  id: string;
  user: string;
  handler: string;
  everyMinutes: number;
  /** The fake clock's time it was created (the runtime fires it every `everyMinutes`). */
  createdAt: number;
}

const EVERY_MINUTES = new Set([1, 5, 10, 15, 30]);
const MAX_TRIGGERS_PER_USER = 20;

export class FakeScriptApp {
  readonly triggers: FakeTrigger[] = [];
  /** The ID token each user gets from `getIdentityToken()`. */
  readonly identityTokens = new Map<string, string>();
  scopes: string[] = [];
  private nextTrigger = 1;

  readonly AuthMode = { NONE: 'NONE', LIMITED: 'LIMITED', CUSTOM_FUNCTION: 'CUSTOM_FUNCTION', FULL: 'FULL' };
  readonly EventType = { CLOCK: 'CLOCK', ON_OPEN: 'ON_OPEN', ON_EDIT: 'ON_EDIT' };
  readonly TriggerSource = { CLOCK: 'CLOCK', SPREADSHEETS: 'SPREADSHEETS' };

  constructor(private readonly env: FakeEnvironment) {}

  private view(trigger: FakeTrigger) {
    return {
      getUniqueId: () => trigger.id,
      getHandlerFunction: () => trigger.handler,
      getEventType: () => this.EventType.CLOCK,
      getTriggerSource: () => this.TriggerSource.CLOCK,
      getTriggerSourceId: () => null,
    };
  }

  newTrigger = (handler: string) => {
    this.env.current();
    let minutes: number | null = null;
    const clock = {
      everyMinutes: (n: number) => {
        if (!EVERY_MINUTES.has(n)) throw appsScriptError('The value passed to everyMinutes must be 1, 5, 10, 15 or 30.');
        minutes = n;
        return clock;
      },
      everyHours: (n: number) => {
        minutes = n * 60;
        return clock;
      },
      create: () => {
        const user = this.env.activeUser;
        if (minutes === null) throw appsScriptError('The trigger needs a schedule (everyMinutes, everyHours, …).');
        if (this.triggers.filter((trigger) => trigger.user === user).length >= MAX_TRIGGERS_PER_USER) {
          throw appsScriptError('This script has too many triggers. Triggers must be deleted from the script before more can be added.');
        }
        const trigger: FakeTrigger = { id: String(this.nextTrigger++), user, handler, everyMinutes: minutes, createdAt: this.env.clock.now() };
        this.triggers.push(trigger);
        return this.view(trigger);
      },
    };
    return { timeBased: () => clock };
  };

  getProjectTriggers = () => {
    const user = this.env.activeUser;
    return this.triggers.filter((trigger) => trigger.user === user).map((trigger) => this.view(trigger));
  };

  deleteTrigger = (trigger: { getUniqueId(): string }) => {
    const user = this.env.activeUser;
    const index = this.triggers.findIndex((candidate) => candidate.id === trigger.getUniqueId() && candidate.user === user);
    if (index >= 0) this.triggers.splice(index, 1);
  };

  getIdentityToken = () => {
    const user = this.env.activeUser;
    if (!this.scopes.includes('openid')) return '';
    return this.identityTokens.get(user) ?? '';
  };

  getOAuthToken = () => `ya29.fake-oauth-token-for-${this.env.activeUser}`;
  getScriptId = () => 'fake-script-id';
}

export function createSession(env: FakeEnvironment) {
  const user = () => ({ getEmail: () => env.activeUser });
  return {
    getActiveUser: user,
    getEffectiveUser: user,
    getScriptTimeZone: () => 'Etc/UTC',
    getTemporaryActiveUserKey: () => `key-${env.activeUser}`,
  };
}

class FakeHtmlOutput {
  private title = '';
  private width = 0;
  private height = 0;
  constructor(private content: string) {}
  getContent() {
    return this.content;
  }
  setContent(content: string) {
    this.content = content;
    return this;
  }
  append(content: string) {
    this.content += content;
    return this;
  }
  setTitle(title: string) {
    this.title = title;
    return this;
  }
  getTitle() {
    return this.title;
  }
  setWidth(width: number) {
    this.width = width;
    return this;
  }
  getWidth() {
    return this.width;
  }
  setHeight(height: number) {
    this.height = height;
    return this;
  }
  getHeight() {
    return this.height;
  }
  setSandboxMode() {
    return this;
  }
  setXFrameOptionsMode() {
    return this;
  }
  addMetaTag() {
    return this;
  }
}

export function createHtmlService(env: FakeEnvironment, projectDir: string) {
  return {
    createHtmlOutputFromFile: (name: string) => {
      env.current();
      try {
        return new FakeHtmlOutput(readFileSync(path.join(projectDir, `${name}.html`), 'utf8'));
      } catch {
        throw appsScriptError(`No HTML file named ${name} was found.`);
      }
    },
    createHtmlOutput: (html = '') => {
      env.current();
      return new FakeHtmlOutput(html);
    },
    SandboxMode: { IFRAME: 'IFRAME' },
    XFrameOptionsMode: { ALLOWALL: 'ALLOWALL', DEFAULT: 'DEFAULT' },
  };
}
