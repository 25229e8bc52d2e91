import fc from 'fast-check';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { href, parse } from '../src/shared/route';
import { wellFormed } from '../src/shared/text';

const anyText = fc.string({ unit: 'binary', maxLength: 30 });

test('an address made by href names the same parts and parameters, whatever they hold', () => {
  fc.assert(
    fc.property(
      fc.array(anyText, { maxLength: 5 }),
      fc.dictionary(fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }), anyText, { maxKeys: 4 }),
      (parts, params) => {
        const route = parse(href(parts, params));
        assert.deepEqual(route.parts, parts.filter((p) => p !== '').map(wellFormed));
        for (const [name, value] of Object.entries(params)) {
          assert.equal(route.params.get(wellFormed(name)), value === '' ? null : wellFormed(value));
        }
      },
    ),
    { numRuns: 2000 },
  );
});

test('any fragment at all parses without throwing', () => {
  fc.assert(
    fc.property(anyText, (hash) => {
      assert.doesNotThrow(() => parse(`#${hash}`));
    }),
    { numRuns: 2000 },
  );
  // Malformed percent-encoding typed into the address bar is taken as it is.
  assert.deepEqual(parse('#/deliveries/%E0%A4%A').parts, ['deliveries', '%E0%A4%A']);
  assert.equal(parse('#/deliveries?status=GAVE_UP&x=a?b').params.get('x'), 'a?b');
});
