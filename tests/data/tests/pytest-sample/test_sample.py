"""A tiny pytest suite whose report is test data for Tollgate (see ../make.sh)."""
import pytest


def add(a, b):
    return a + b


def test_passes():
    assert add(1, 2) == 3


def test_fails():
    assert add(2, 2) == 5


@pytest.fixture
def broken_fixture():
    raise RuntimeError("fixture could not start")


def test_errors_in_fixture(broken_fixture):
    assert broken_fixture


@pytest.mark.skip(reason="not on this platform")
def test_skipped():
    pass


@pytest.mark.xfail(reason="known bug")
def test_expected_failure():
    assert add(1, 1) == 3


class TestGroup:
    def test_method_fails(self):
        value = {"a": 1}
        assert value["a"] == 2
