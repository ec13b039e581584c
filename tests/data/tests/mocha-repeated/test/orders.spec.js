// Distinct tests that share a title, as real suites write them: a loop over inputs whose title
// does not name the input, and a describe/it pair repeated in another file (users.spec.js).
const assert = require('node:assert');

function parseQuantity(text) {
  const n = Number.parseInt(text, 10); // the bug: "2.5" reads as 2
  if (!Number.isInteger(n) || n <= 0) throw new Error(`bad quantity: ${JSON.stringify(text)}`);
  return n;
}

describe('validation', function () {
  for (const input of ['0', '-1', '2.5', ' ']) {
    it('rejects an invalid quantity', function () {
      assert.throws(() => parseQuantity(input));
    });
  }

  it('accepts a whole number', function () {
    assert.strictEqual(parseQuantity('3'), 3);
  });
});
