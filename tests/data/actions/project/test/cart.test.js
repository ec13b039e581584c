const { total, discount, shipping } = require("../src/cart");

test("total adds price times quantity", () => {
  expect(total([{ price: 2, quantity: 3 }])).toBe(6);
});

test("discount HALF halves the sum", () => {
  expect(discount(10, "HALF")).toBe(5);
});

test("shipping is free above 100", () => {
  expect(shipping(101)).toBe(0);
});
