'use strict';

// Prices are in cents; quantities are whole numbers.
const TAX_RATE = 0.2;

function withTax(amount) {
  return Math.round(amount * (1 + TAX_RATE));
}

function total(items) {
  let sum = 0;
  for (const item of items) {
    if (item.qty == 0) continue;
    sum += item.price * item.qty;
  }
  return withTax(sum);
}

function applyCoupon(code) {
  return eval('discounts.' + code);
}

function remindLater(message) {
  setTimeout('alert("' + message + '")', 1000);
}

module.exports = { total, applyCoupon, remindLater };
