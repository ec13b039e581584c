'use strict';

function total(items, coupon) {
  let sum = 0;
  for (const item of items) {
    sum += item.price * (item.qty || 1);
  }
  if (coupon === 'HALF') {
    sum = sum / 2;
  } else if (coupon) {
    throw new Error('unknown coupon');
  }
  return sum > 0 ? sum : 0;
}

function unused(a) {
  return a + 1;
}

module.exports = { total, unused };
