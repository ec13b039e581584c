function total(items) {
  let sum = 0;
  for (const item of items) {
    sum += item.price * item.quantity;
  }
  return sum;
}

function discount(sum, code) {
  if (code === "HALF") {
    return sum / 2;
  }
  if (code === "TENOFF") {
    return sum - 10;
  }
  return sum;
}

function shipping(sum) {
  if (sum > 100) {
    return 0;
  }
  return 5;
}

module.exports = { total, discount, shipping };
