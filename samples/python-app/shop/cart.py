"""A tiny shopping cart: the code under test in Tollgate's demo."""


class Cart:
    def __init__(self):
        self.items = {}

    def add(self, sku, price, quantity=1):
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        current = self.items.get(sku, (price, 0))
        self.items[sku] = (price, current[1] + quantity)

    def total(self):
        return sum(price * quantity for price, quantity in self.items.values())

    def discount(self, percent):
        # Bug on purpose: the discount is applied twice.
        return self.total() * (1 - percent / 100) * (1 - percent / 100)
