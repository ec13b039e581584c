'use strict';
module.exports = function discount(sum, pct) {
  return pct > 0 ? sum * (100 - pct) / 100 : sum;
};
