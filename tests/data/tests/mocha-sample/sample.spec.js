// A tiny mocha suite whose mocha-junit-reporter report is test data for Tollgate (see ../make.sh).
const assert = require('node:assert');

describe('strings', function () {
  it('joins words', function () {
    assert.strictEqual(['a', 'b'].join('-'), 'a-b');
  });

  it('trims spaces', function () {
    assert.strictEqual('  x '.trim(), 'x ');
  });

  describe('nested', function () {
    it('repeats', function () {
      assert.strictEqual('ab'.repeat(2), 'abab');
    });

    it.skip('is pending', function () {});
  });
});
