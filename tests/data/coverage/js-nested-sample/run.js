'use strict';
const { total } = require('./cart');

if (total([{ price: 2, qty: 3 }, { price: 4 }], 'HALF') !== 5) throw new Error('bad total');
if (total([], undefined) !== 0) throw new Error('bad empty total');
const discount = require('./lib/discount');
if (discount(10, 50) !== 5) throw new Error('bad discount');
if (require('./lib/deep/round')(2.4) !== 2) throw new Error('bad round');
