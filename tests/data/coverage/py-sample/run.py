from shop.pricing import discount, shipping

assert discount(200, True) == 180
assert discount(50, False) == 50
assert shipping("fr") == 6
