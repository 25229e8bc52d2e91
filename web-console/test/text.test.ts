import fc from 'fast-check';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeText, wellFormed } from '../src/shared/text';

// Any JavaScript string: lone surrogates included, which no UTF-8 can carry.
const anyText = fc.string({ unit: 'binary', maxLength: 40 });

test('encodeText never throws, and decoding gives the well-formed text back', () => {
  fc.assert(
    fc.property(anyText, (text) => {
      assert.equal(decodeURIComponent(encodeText(text)), wellFormed(text));
    }),
    { numRuns: 2000 },
  );
});

test('wellFormed leaves well-formed text alone and is idempotent', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
      assert.equal(wellFormed(text), text);
    }),
  );
  fc.assert(
    fc.property(anyText, (text) => {
      assert.equal(wellFormed(wellFormed(text)), wellFormed(text));
      assert.doesNotThrow(() => encodeURIComponent(wellFormed(text)));
    }),
    { numRuns: 2000 },
  );
});

test('a lone surrogate becomes U+FFFD, a pair stays', () => {
  assert.equal(wellFormed('a\uD800b'), 'a\uFFFDb');
  assert.equal(wellFormed('\uDC00'), '\uFFFD');
  assert.equal(wellFormed('\uD83D\uDE00'), '\uD83D\uDE00');
});
