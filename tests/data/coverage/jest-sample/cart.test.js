'use strict';
const { total } = require('./cart');

test('half coupon', () => {
  expect(total([{ price: 2, qty: 3 }, { price: 4 }], 'HALF')).toBe(5);
});

test('empty cart', () => {
  expect(total([], undefined)).toBe(0);
});
