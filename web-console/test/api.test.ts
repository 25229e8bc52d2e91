import fc from 'fast-check';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { query, seg } from '../src/shared/api';
import { wellFormed } from '../src/shared/text';

const anyText = fc.string({ unit: 'binary', maxLength: 30 });

test('a query string carries every parameter that has a value, and nothing else', () => {
  fc.assert(
    fc.property(
      fc.dictionary(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }),
        fc.oneof(anyText, fc.integer(), fc.boolean(), fc.constant(undefined), fc.constant(null)),
        { maxKeys: 5 },
      ),
      (params) => {
        const text = query(params);
        const parsed = new URLSearchParams(text.replace(/^\?/, ''));
        for (const [name, value] of Object.entries(params)) {
          const expected = value === undefined || value === null || value === '' ? null : wellFormed(String(value));
          assert.equal(parsed.get(wellFormed(name)), expected);
        }
        assert.ok(text === '' || text.startsWith('?'));
      },
    ),
    { numRuns: 2000 },
  );
});

test('a path segment never carries a slash, a question mark or a hash, and never throws', () => {
  fc.assert(
    fc.property(anyText, (value) => {
      const encoded = seg(value);
      assert.doesNotMatch(encoded, /[/?#]/);
      assert.equal(decodeURIComponent(encoded), wellFormed(value));
    }),
    { numRuns: 2000 },
  );
  assert.equal(seg('../admin'), '..%2Fadmin');
});
