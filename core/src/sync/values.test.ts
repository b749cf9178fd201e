import { describe, expect, it } from 'vitest';
import {
  cellToInstant,
  dateToSerial,
  extraFromCell,
  instantToWallClock,
  isDateFormat,
  isPercentFormat,
  parseBoolean,
  parseIsoDate,
  serialToWallClock,
  wallClockIso,
  wallClockToInstant,
  wallClockToSerial,
} from './values.ts';

describe('date serials', () => {
  it('reads Excel 1900, Excel 1904 and Sheets serials', () => {
    expect(wallClockIso(serialToWallClock(46_357, 'excel-1900')!)).toBe('2026-12-01');
    expect(wallClockIso(serialToWallClock(46_357.375, 'excel-1900')!)).toBe('2026-12-01T09:00:00');
    expect(wallClockIso(serialToWallClock(46_357, 'sheets')!)).toBe('2026-12-01');
    expect(wallClockIso(serialToWallClock(44_895, 'excel-1904')!)).toBe('2026-12-01');
    expect(wallClockIso(serialToWallClock(1, 'excel-1900')!)).toBe('1900-01-01');
    expect(wallClockIso(serialToWallClock(1, 'sheets')!)).toBe('1899-12-31');
    expect(serialToWallClock(-1, 'sheets')).toBeUndefined();
  });

  it('turns wall clocks back into the same serials', () => {
    for (const system of ['excel-1900', 'excel-1904', 'sheets'] as const) {
      for (const serial of [1_500, 46_357, 46_357.5, 46_357.123_45]) {
        const clock = serialToWallClock(serial, system)!;
        expect(wallClockToSerial(clock, system)).toBeCloseTo(serial, 5);
      }
    }
  });

  it('turns an Apps Script Date into the serial its cell holds', () => {
    // 2026-12-01 09:00 in Chicago (CST, UTC-6) is 15:00Z.
    expect(dateToSerial(new Date('2026-12-01T15:00:00Z'), 'sheets', 'America/Chicago')).toBe(46_357.375);
  });
});

describe('time zones', () => {
  it('reads wall clocks in a zone, including DST changes', () => {
    const chicago = 'America/Chicago';
    const at = (iso: string) => new Date(wallClockToInstant(parseIsoDate(iso)!.clock, chicago)).toISOString();
    expect(at('2026-07-01 09:00')).toBe('2026-07-01T14:00:00.000Z');
    expect(at('2026-12-01 09:00')).toBe('2026-12-01T15:00:00.000Z');
    expect(at('2026-03-08 02:30')).toBe('2026-03-08T08:30:00.000Z'); // skipped hour: 03:30 CDT
    expect(at('2026-11-01 01:30')).toBe('2026-11-01T06:30:00.000Z'); // repeated hour: the first one
    expect(instantToWallClock(Date.parse('2026-07-01T14:00:00Z'), chicago)).toEqual({ year: 2026, month: 7, day: 1, hour: 9, minute: 0, second: 0 });
  });

  it('reads campaign dates as instants', () => {
    const options = { dateSystem: 'excel-1900' as const, timeZone: 'Europe/Berlin' };
    expect(cellToInstant('2026-12-01', options)).toBe('2026-11-30T23:00:00.000Z');
    expect(cellToInstant('2026-12-01T09:00:00Z', options)).toBe('2026-12-01T09:00:00.000Z');
    expect(cellToInstant('2026-12-01 09:00+02:00', options)).toBe('2026-12-01T07:00:00.000Z');
    expect(cellToInstant(46_357.375, options)).toBe('2026-12-01T08:00:00.000Z');
    expect(cellToInstant('2026-02-30', options)).toBeUndefined();
    expect(cellToInstant('12/01/2026', options)).toBeUndefined();
    expect(cellToInstant('next week', options)).toBeUndefined();
  });
});

describe('typing', () => {
  it('reads yes/no strictly for extra columns and loosely for known ones', () => {
    expect(['yes', 'No', 'TRUE', 'false', true].map((value) => parseBoolean(value))).toEqual([true, false, true, false, true]);
    expect(['y', 'n', '1', 0].map((value) => parseBoolean(value))).toEqual([undefined, undefined, undefined, undefined]);
    expect(['y', 'N', '1', 0, 'inactive'].map((value) => parseBoolean(value, true))).toEqual([true, false, true, false, false]);
  });

  it('recognises date and percent formats', () => {
    expect(['yyyy-mm-dd', 'm/d/yy h:mm', '[$-409]mmmm d, yyyy', 'dd.MM.yyyy', 'h:mm AM/PM'].every(isDateFormat)).toBe(true);
    expect(['General', '0.00', '#,##0', '@', '"days"0', '_("$"* #,##0.00_)', '0%'].some(isDateFormat)).toBe(false);
    expect(isPercentFormat('0.0%')).toBe(true);
    expect(isPercentFormat('"%"0')).toBe(false);
  });

  it('types extra columns: numbers, booleans, dates as ISO, JSON, text', () => {
    const read = (value: Parameters<typeof extraFromCell>[0], format?: string) => extraFromCell(value, format, 'excel-1900');
    expect(read(5000)).toBe(5000);
    expect(read('30')).toBe(30);
    expect(read('-2.5')).toBe(-2.5);
    expect(read('0012')).toBe('0012');
    expect(read('1e3')).toBe('1e3');
    expect(read('yes')).toBe(true);
    expect(read(false)).toBe(false);
    expect(read('N')).toBe('N');
    expect(read(0.3, '0%')).toBe(30);
    expect(read(46_357, 'yyyy-mm-dd')).toBe('2026-12-01');
    expect(read(46_357.5, 'm/d/yyyy h:mm')).toBe('2026-12-01T12:00:00');
    expect(read(46_357)).toBe(46_357);
    expect(read('2026-12-01')).toBe('2026-12-01');
    expect(read('["a","b"]')).toEqual(['a', 'b']);
    expect(read('{"a":1}')).toEqual({ a: 1 });
    expect(read('[not json]')).toBe('[not json]');
    expect(read('  Summer  ')).toBe('Summer');
    expect(read('\u200B=1+1')).toBe('=1+1');
    expect(read('   ')).toBeUndefined();
    expect(read(null)).toBeUndefined();
  });
});
