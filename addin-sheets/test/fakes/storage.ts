/**
 * Fakes of PropertiesService, CacheService and LockService, as Google documents them:
 * - properties are strings; user properties belong to the user running the script, document
 *   properties to the spreadsheet, script properties to the project; a value over 9 KB is refused;
 * - cached values expire after their time to live (default 600 s, at most 21,600 s), and a
 *   value over 100 KB is refused;
 * - a lock is held by one execution at a time; `waitLock` gives up with "Lock timeout" (the fake
 *   does not wait: executions run one after another here, so a lock held by another execution
 *   would never be released while this one waits), and every lock an execution holds is released
 *   when it ends.
 */
import { appsScriptError, type FakeEnvironment } from './environment.ts';

const MAX_PROPERTY_BYTES = 9 * 1024;
const MAX_CACHE_BYTES = 100 * 1024;
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

export class FakeProperties {
  readonly values = new Map<string, string>();
  writes = 0;

  constructor(private readonly env: FakeEnvironment) {}

  getProperty(key: string): string | null {
    this.env.current();
    return this.values.get(key) ?? null;
  }
  getProperties(): Record<string, string> {
    this.env.current();
    return Object.fromEntries(this.values);
  }
  getKeys(): string[] {
    this.env.current();
    return [...this.values.keys()];
  }
  setProperty(key: string, value: string) {
    this.env.current();
    const text = String(value);
    if (bytes(key) + bytes(text) > MAX_PROPERTY_BYTES) throw appsScriptError('Argument too large: value');
    this.values.set(key, text);
    this.writes += 1;
    return this;
  }
  setProperties(properties: Record<string, string>, deleteAllOthers = false) {
    this.env.current();
    for (const [key, value] of Object.entries(properties)) {
      if (bytes(key) + bytes(String(value)) > MAX_PROPERTY_BYTES) throw appsScriptError('Argument too large: value');
    }
    if (deleteAllOthers) this.values.clear();
    for (const [key, value] of Object.entries(properties)) this.values.set(key, String(value));
    this.writes += 1;
    return this;
  }
  deleteProperty(key: string) {
    this.env.current();
    this.values.delete(key);
    this.writes += 1;
    return this;
  }
  deleteAllProperties() {
    this.env.current();
    this.values.clear();
    return this;
  }
}

export class FakePropertiesService {
  readonly script: FakeProperties;
  readonly document: FakeProperties;
  private readonly users = new Map<string, FakeProperties>();

  constructor(private readonly env: FakeEnvironment) {
    this.script = new FakeProperties(env);
    this.document = new FakeProperties(env);
  }

  /** This user's store (tests read it without an execution through `.values`). */
  forUser(user: string): FakeProperties {
    let store = this.users.get(user);
    if (!store) this.users.set(user, (store = new FakeProperties(this.env)));
    return store;
  }

  getUserProperties = () => this.forUser(this.env.activeUser);
  getDocumentProperties = () => {
    this.env.current();
    return this.document;
  };
  getScriptProperties = () => {
    this.env.current();
    return this.script;
  };
}

export class FakeCache {
  private readonly entries = new Map<string, { value: string; expires: number }>();
  constructor(private readonly env: FakeEnvironment) {}

  get(key: string): string | null {
    this.env.current();
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expires <= this.env.clock.now()) {
      this.entries.delete(key);
      return null;
    }
    return entry.value;
  }
  put(key: string, value: string, expirationInSeconds = 600) {
    this.env.current();
    if (bytes(String(value)) > MAX_CACHE_BYTES) throw appsScriptError('Argument too large: value');
    const seconds = Math.min(Math.max(expirationInSeconds, 1), 21_600);
    this.entries.set(key, { value: String(value), expires: this.env.clock.now() + seconds * 1000 });
  }
  remove(key: string) {
    this.env.current();
    this.entries.delete(key);
  }
}

export class FakeCacheService {
  private readonly userCaches = new Map<string, FakeCache>();
  private readonly documentCache: FakeCache;
  private readonly scriptCache: FakeCache;
  constructor(private readonly env: FakeEnvironment) {
    this.documentCache = new FakeCache(env);
    this.scriptCache = new FakeCache(env);
  }
  getUserCache = () => {
    const user = this.env.activeUser;
    let cache = this.userCaches.get(user);
    if (!cache) this.userCaches.set(user, (cache = new FakeCache(this.env)));
    return cache;
  };
  getDocumentCache = () => this.documentCache;
  getScriptCache = () => this.scriptCache;
}

interface LockState {
  holder: number | null;
  depth: number;
}

export class FakeLockService {
  private readonly locks = new Map<string, LockState>();
  /** Times a lock was refused (for tests). */
  refusals = 0;

  constructor(private readonly env: FakeEnvironment) {
    env.onExecutionEnd((execution) => {
      for (const state of this.locks.values()) {
        if (state.holder === execution.id) {
          state.holder = null;
          state.depth = 0;
        }
      }
    });
  }

  private lock(name: string) {
    const state = this.locks.get(name) ?? { holder: null, depth: 0 };
    this.locks.set(name, state);
    const env = this.env;
    const take = (): boolean => {
      const id = env.current().id;
      if (state.holder !== null && state.holder !== id) {
        this.refusals += 1;
        return false;
      }
      state.holder = id;
      state.depth += 1;
      return true;
    };
    return {
      tryLock: (_timeoutMs: number) => take(),
      waitLock: (_timeoutMs: number) => {
        if (!take()) throw appsScriptError('Lock timeout: another process was holding the lock for too long.');
      },
      hasLock: () => state.holder === env.current().id,
      releaseLock: () => {
        if (state.holder !== env.current().id) return;
        state.depth -= 1;
        if (state.depth <= 0) {
          state.holder = null;
          state.depth = 0;
        }
      },
    };
  }

  /** Test helper: another execution holds this lock until `release()` is called. */
  holdElsewhere(name: string): { release(): void } {
    const state = this.locks.get(name) ?? { holder: null, depth: 0 };
    this.locks.set(name, state);
    state.holder = -1;
    state.depth = 1;
    return {
      release: () => {
        state.holder = null;
        state.depth = 0;
      },
    };
  }

  getUserLock = () => this.lock(`user:${this.env.activeUser}`);
  getDocumentLock = () => this.lock('document');
  getScriptLock = () => this.lock('script');
}
