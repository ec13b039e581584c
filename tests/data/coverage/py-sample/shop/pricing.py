"""Prices with discounts: a small module with branches, some of them never taken."""


def discount(total, member):
    if member and total > 100:
        return total * 0.9
    if total > 1000:
        return total * 0.95
    return total


def shipping(country):
    rates = {"de": 4, "fr": 6}
    for code, rate in rates.items():
        if code == country:
            return rate
    raise ValueError(country)


def unused(x):
    y = x * 2
    return y
