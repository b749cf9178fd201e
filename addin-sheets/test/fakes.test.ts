/**
 * The fakes behave as Google documents the real services, so passing tests mean something:
 * dimension checks, typed text, metadata that moves with rows, quotas, whitelists, triggers,
 * locks, and the 6-minute execution limit.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { AppsScriptWorld, SyncHttp } from './fakes/index.ts';

const http = new SyncHttp();
afterAll(() => http.close());

function world(manifest = { oauthScopes: ['openid'], urlFetchWhitelist: ['https://storesync.test/'] }) {
  return new AppsScriptWorld({ projectDir: '/nonexistent', manifest, http });
}

/** Runs `work` inside one execution, as the given user. */
function inExecution<T>(target: AppsScriptWorld, work: () => T, user = target.env.user): T {
  target.env.begin('test', user);
  try {
    return work();
  } finally {
    target.env.end();
  }
}

describe('the fake SpreadsheetApp', () => {
  it('refuses setValues and setNumberFormats of the wrong dimensions, with Google’s messages', () => {
    const w = world();
    const sheet = w.spreadsheet.insertSheet('Data');
    inExecution(w, () => {
      const range = sheet.getRange(1, 1, 2, 2);
      expect(() => range.setValues([['a', 'b']])).toThrow('The number of rows in the data does not match the number of rows in the range. The data has 1 but the range has 2.');
      expect(() => range.setValues([['a'], ['b']])).toThrow('The number of columns in the data does not match the number of columns in the range. The data has 1 but the range has 2.');
      expect(() => range.setNumberFormats([['@', '@']])).toThrow(/number of rows in the data does not match/);
      expect(() => sheet.getRange(999, 1, 5, 1)).toThrow('The coordinates of the range are outside the dimensions of the sheet.');
      expect(() => sheet.getRange(1, 1, 0, 1)).toThrow('The number of rows in the range must be at least 1.');
    });
  });

  it('takes strings as typed unless the cell is plain text: that is why formats go first', () => {
    const w = world();
    const sheet = w.spreadsheet.insertSheet('Data');
    inExecution(w, () => {
      sheet.getRange(1, 1, 1, 4).setValues([['=1+1', '0012', 'TRUE', '2026-12-01']]);
      expect(sheet.getRange(1, 1, 1, 4).getFormulas()[0]?.[0]).toBe('=1+1');
      const [typed] = sheet.getRange(1, 2, 1, 3).getValues();
      expect(typed?.slice(0, 2)).toEqual([12, true]);
      expect(Object.prototype.toString.call(typed?.[2])).toBe('[object Date]');
      // Sheets' dates are midnight in the spreadsheet's zone (Europe/Berlin: 23:00 UTC the day before).
      expect((typed?.[2] as Date).toISOString()).toBe('2026-11-30T23:00:00.000Z');
      const text = sheet.getRange(2, 1, 1, 3);
      text.setNumberFormats([['@', '@', '@']]);
      text.setValues([['=1+1', '0012', '2026-12-01']]);
      expect(text.getValues()).toEqual([['=1+1', '0012', '2026-12-01']]);
      expect(text.getFormulas()).toEqual([['', '', '']]);
      expect(sheet.getRange(3, 1).getNumberFormat()).toBe('General');
    });
  });

  it('keeps row metadata with its row through sorting and deletes it with the row', () => {
    const w = world();
    const sheet = w.spreadsheet.insertSheet('Data');
    sheet.type(1, 1, [['Key'], ['b'], ['c'], ['a']]);
    inExecution(w, () => {
      sheet.getRange('2:2').addDeveloperMetadata('id', 'B');
      sheet.getRange('4:4').addDeveloperMetadata('id', 'A');
      expect(() => sheet.getRange(2, 1, 1, 1).addDeveloperMetadata('id', 'x')).toThrow(/only be added to the top-level spreadsheet, an individual sheet, or an entire row or column/);
      sheet.setFrozenRows(1);
      sheet.sort(1);
      const found = sheet.createDeveloperMetadataFinder().withKey('id').withLocationType('ROW').find();
      expect(found.map((entry) => [entry.getValue(), entry.getLocation().getRow()?.getRow()]).sort()).toEqual([
        ['A', 2],
        ['B', 3],
      ]);
      // Sorting part of the columns moves cells, not rows: the metadata stays where it is.
      sheet.getRange(2, 1, 3, 1).sort({ column: 1, ascending: false });
      expect(sheet.rowMetadata(2)).toEqual([{ key: 'id', value: 'A' }]);
      sheet.deleteRow(2);
      expect(sheet.createDeveloperMetadataFinder().withKey('id').find().map((entry) => entry.getValue())).toEqual(['B']);
    });
  });
});

describe('the fake PropertiesService, CacheService and LockService', () => {
  it('keeps user properties per user and refuses values over 9 KB', () => {
    const w = world();
    inExecution(w, () => w.properties.getUserProperties().setProperty('k', 'mine'), 'a@example.test');
    expect(inExecution(w, () => w.properties.getUserProperties().getProperty('k'), 'b@example.test')).toBeNull();
    expect(() => inExecution(w, () => w.properties.getDocumentProperties().setProperty('big', 'x'.repeat(9 * 1024)))).toThrow('Argument too large: value');
  });

  it('expires cached values and times out on a lock another execution holds', () => {
    const w = world();
    inExecution(w, () => w.cache.getUserCache().put('k', 'v', 60));
    w.env.clock.advance(61_000);
    expect(inExecution(w, () => w.cache.getUserCache().get('k'))).toBeNull();
    const held = w.locks.holdElsewhere(`user:${w.env.user}`);
    expect(() => inExecution(w, () => w.locks.getUserLock().waitLock(1000))).toThrow('Lock timeout: another process was holding the lock for too long.');
    held.release();
    // A lock is released when its execution ends.
    inExecution(w, () => w.locks.getUserLock().waitLock(1000));
    expect(inExecution(w, () => w.locks.getUserLock().tryLock(0))).toBe(true);
  });
});

describe('the fake UrlFetchApp, ScriptApp and the execution limit', () => {
  it('fetches only whitelisted URLs and throws for HTTP errors unless muted', () => {
    const w = world();
    const origin = http.serveJson({ '/ok': '{"ok":true}' });
    w.urlFetch.routes.set('https://storesync.test', origin);
    inExecution(w, () => {
      expect(() => w.urlFetch.fetch('https://elsewhere.example/ok')).toThrow(/not on the urlFetchWhitelist/);
      expect(w.urlFetch.fetch('https://storesync.test/ok').getContentText()).toBe('{"ok":true}');
      expect(() => w.urlFetch.fetch('https://storesync.test/missing')).toThrow(/Request failed for https:\/\/storesync\.test\/missing returned code 404/);
      expect(w.urlFetch.fetch('https://storesync.test/missing', { muteHttpExceptions: true }).getResponseCode()).toBe(404);
    });
    w.urlFetch.dailyQuota = 3; // three fetches made above (the refused URL never left)
    expect(() => inExecution(w, () => w.urlFetch.fetch('https://storesync.test/ok'))).toThrow('Service invoked too many times for one day: urlfetch.');
    w.urlFetch.routes.set('https://storesync.test', 'http://127.0.0.1:9');
    w.urlFetch.dailyQuota = 100;
    expect(() => inExecution(w, () => w.urlFetch.fetch('https://storesync.test/ok'))).toThrow('Address unavailable: https://storesync.test/ok');
  });

  it('validates trigger schedules, lists a user’s own triggers, and gives identity tokens only with openid', () => {
    const w = world();
    inExecution(w, () => {
      expect(() => w.scriptApp.newTrigger('run').timeBased().everyMinutes(7)).toThrow(/must be 1, 5, 10, 15 or 30/);
      w.scriptApp.newTrigger('run').timeBased().everyMinutes(5).create();
    }, 'a@example.test');
    expect(inExecution(w, () => w.scriptApp.getProjectTriggers().length, 'b@example.test')).toBe(0);
    w.scriptApp.identityTokens.set('a@example.test', 'id-token');
    expect(inExecution(w, () => w.scriptApp.getIdentityToken(), 'a@example.test')).toBe('id-token');
    const withoutOpenid = world({ oauthScopes: [], urlFetchWhitelist: [] });
    withoutOpenid.scriptApp.identityTokens.set(withoutOpenid.env.user, 'id-token');
    expect(inExecution(withoutOpenid, () => withoutOpenid.scriptApp.getIdentityToken())).toBe('');
  });

  it('stops an execution that runs longer than 6 minutes', () => {
    const w = world();
    const sheet = w.spreadsheet.insertSheet('Data');
    expect(() =>
      inExecution(w, () => {
        w.env.clock.advance(6 * 60_000 + 1);
        sheet.getRange(1, 1).getValues();
      }),
    ).toThrow('Exceeded maximum execution time');
  });
});
