// A tiny jest suite whose jest-junit report is test data for Tollgate (see ../make.sh).
function divide(a, b) {
  if (b === 0) throw new Error('division by zero');
  return a / b;
}

describe('divide', () => {
  test('divides evenly', () => {
    expect(divide(6, 3)).toBe(2);
  });

  test('rounds down', () => {
    expect(divide(7, 2)).toBe(3);
  });

  test('throws on zero', () => {
    expect(divide(1, 0)).toBe(Infinity);
  });

  test.skip('handles big numbers', () => {});
});
