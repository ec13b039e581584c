// The same describe/it titles as orders.spec.js, for another module.
const assert = require('node:assert');

describe('validation', function () {
  it('accepts a whole number', function () {
    assert.strictEqual(Number.parseInt('7', 10), 7);
  });
});
