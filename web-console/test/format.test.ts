import fc from 'fast-check';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ago, instant, localInput, percent, time } from '../src/shared/format';

test('ago and time never show NaN or throw, whatever the server sent', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.date({ noInvalidDate: false }).map(String)), (value) => {
      assert.doesNotMatch(ago(value), /NaN/);
      assert.doesNotThrow(() => time(value));
    }),
    { numRuns: 1000 },
  );
  assert.equal(ago('not a time'), '');
  assert.equal(ago(undefined), '');
});

test('a datetime-local value round-trips to the minute', () => {
  fc.assert(
    fc.property(fc.date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), (date) => {
      const back = instant(localInput(date));
      assert.ok(back !== undefined);
      const minute = new Date(date);
      minute.setSeconds(0, 0);
      assert.equal(new Date(back).getTime(), minute.getTime());
    }),
    { numRuns: 1000 },
  );
  assert.equal(instant(''), undefined);
  assert.equal(instant('garbage'), undefined);
});

test('a failure rate below zero means not yet measured', () => {
  assert.equal(percent(-1), '–');
  assert.equal(percent(12.345), '12.3%');
});
