import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFormulaLike, jsonBytes, readCellText, SAFE_PREFIX, safeCellText, TEXT_FORMAT, toCellWrite, utf8Length } from './safety.ts';
import { EXCEL_LIMITS, SHEETS_LIMITS } from './types.ts';

describe('formula safety', () => {
  it.each(['=HYPERLINK("http://evil","click")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '\n=1', '＝1+1', `${SAFE_PREFIX}=1`])(
    'writes %j as inert text',
    (value) => {
      const write = toCellWrite(value, EXCEL_LIMITS);
      expect(write.numberFormat).toBe(TEXT_FORMAT);
      expect(typeof write.value).toBe('string');
      expect(String(write.value).startsWith(SAFE_PREFIX)).toBe(true);
      expect(isFormulaLike(String(write.value))).toBe(false);
      expect(readCellText(String(write.value)).text).toBe(value);
    },
  );

  it('leaves ordinary text alone but still marks it as text', () => {
    expect(toCellWrite('Summer sale', EXCEL_LIMITS)).toEqual({ value: 'Summer sale', numberFormat: TEXT_FORMAT });
    expect(toCellWrite('0012', EXCEL_LIMITS)).toEqual({ value: '0012', numberFormat: TEXT_FORMAT });
    expect(toCellWrite(-5, EXCEL_LIMITS)).toEqual({ value: -5, numberFormat: null });
    expect(toCellWrite(true, EXCEL_LIMITS)).toEqual({ value: true, numberFormat: null });
    expect(toCellWrite(null, EXCEL_LIMITS)).toEqual({ value: '', numberFormat: null });
    expect(toCellWrite(Number.NaN, EXCEL_LIMITS)).toEqual({ value: '', numberFormat: null });
    expect(toCellWrite({ a: 1 }, EXCEL_LIMITS)).toEqual({ value: '{"a":1}', numberFormat: TEXT_FORMAT });
  });

  it('never writes a formula and always reads back what it wrote (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.constantFrom('=', '+', '-', '@', '\t', '\r', '', SAFE_PREFIX), (tail, lead) => {
        const value = lead + tail;
        const text = safeCellText(value, EXCEL_LIMITS).text;
        expect(isFormulaLike(text)).toBe(false);
        expect(readCellText(text)).toEqual({ text: value, truncated: false });
      }),
      { numRuns: 300 },
    );
  });
});

/** Text dense in surrogate pairs (emoji, musical symbols), so cuts often fall next to one. */
const withPairs = fc
  .array(fc.oneof(fc.constantFrom('😀', '𝄞', 'é', '=', 'ab'), fc.string({ maxLength: 3 })), { maxLength: 200 })
  .map((parts) => parts.join(''));

describe('long text', () => {
  it('keeps text whole up to the host limit', () => {
    for (const limits of [EXCEL_LIMITS, SHEETS_LIMITS]) {
      const text = 'x'.repeat(limits.maxCellChars);
      expect(safeCellText(text, limits)).toEqual({ text, inert: false, truncated: 0 });
    }
  });

  it('cuts beyond the limit with a visible marker, counting what was left out', () => {
    const text = 'y'.repeat(40_000);
    const excel = safeCellText(text, EXCEL_LIMITS);
    expect(excel.text.length).toBeLessThanOrEqual(32_767);
    expect(excel.text.endsWith(`… [truncated: ${excel.truncated} characters]`)).toBe(true);
    expect(excel.text.length - `… [truncated: ${excel.truncated} characters]`.length + excel.truncated).toBe(40_000);
    expect(readCellText(excel.text).truncated).toBe(true);
    expect(safeCellText(text, SHEETS_LIMITS)).toEqual({ text, inert: false, truncated: 0 });
    const inert = safeCellText(`=${text}`, EXCEL_LIMITS);
    expect(inert.text.startsWith(SAFE_PREFIX)).toBe(true);
    expect(inert.text.length).toBeLessThanOrEqual(32_767);
  });

  it('never splits a surrogate pair and never exceeds the limit (property)', () => {
    fc.assert(
      fc.property(withPairs, fc.integer({ min: 64, max: 300 }), (value, maxCellChars) => {
        const safe = safeCellText(value, { maxCellChars });
        expect(safe.text.length).toBeLessThanOrEqual(maxCellChars);
        if (safe.truncated === 0) expect(readCellText(safe.text).text).toBe(value);
        else {
          const kept = readCellText(safe.text).text.replace(/… \[truncated: \d+ characters\]$/, '');
          expect(value.startsWith(kept)).toBe(true);
          expect(kept.length + safe.truncated).toBe(value.length);
          const last = kept.charCodeAt(kept.length - 1);
          expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('byte estimates', () => {
  it('counts UTF-8 bytes like Node does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 50 }), (text) => {
        expect(utf8Length(text)).toBe(Buffer.byteLength(text, 'utf8'));
      }),
      { numRuns: 200 },
    );
    expect(jsonBytes([['é', 1, null]])).toBe(Buffer.byteLength('[["é",1,null]]'));
  });
});
