// A tiny node:test suite whose JUnit report is test data for Tollgate (see ../make.sh).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

test('adds numbers', () => {
  assert.equal(1 + 2, 3);
});

test('compares strings', () => {
  assert.equal('tollgate'.toUpperCase(), 'TOLLGATE!');
});

describe('math', () => {
  test('multiplies', () => {
    assert.equal(2 * 3, 6);
  });

  test('divides', () => {
    assert.equal(10 / 4, 2);
  });

  test('is skipped', { skip: 'not ready' }, () => {});
});
