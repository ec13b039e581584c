'use strict';
module.exports = (x) => (x < 0 ? 0 : Math.round(x));
