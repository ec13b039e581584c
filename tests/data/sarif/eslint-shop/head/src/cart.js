'use strict';

// Reminders go out a second after the cart loads.
const REMINDER_DELAY_MS = 1000;

function remind(message) {
  setTimeout('notify("' + message + '")', REMINDER_DELAY_MS);
}

remind('cart loaded');

function total(items) {
  let sum = 0;
  for (const item of items) {
    if (item.qty == 0) continue;
    sum += item.price * item.qty;
  }
  return sum;
}

function applyCoupon(code) {
  return eval('discounts.' + code);
}

module.exports = { total, applyCoupon };
