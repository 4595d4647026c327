from lrucache import make_key, memoize


def test_caches_results():
    calls = []

    @memoize(maxsize=8)
    def square(x):
        calls.append(x)
        return x * x

    assert square(3) == 9
    assert square(3) == 9
    assert square(4) == 16
    assert calls == [3, 4]
    info = square.cache_info()
    assert (info.hits, info.misses) == (1, 2)


def test_keyword_order_does_not_matter():
    calls = []

    @memoize()
    def f(a, b):
        calls.append((a, b))
        return a - b

    assert f(a=5, b=2) == 3
    assert f(b=2, a=5) == 3
    assert len(calls) == 1


def test_typed():
    @memoize(typed=True)
    def kind(x):
        return type(x).__name__

    assert kind(1) == "int"
    assert kind(1.0) == "float"
    assert kind(x=1) == "int"
    assert kind(x=1.0) == "float"
    assert kind.cache_info().misses == 4


def test_ttl_with_clock():
    now = [0.0]
    calls = []

    @memoize(ttl=10, clock=lambda: now[0])
    def f(x):
        calls.append(x)
        return x

    f(1)
    now[0] = 5
    f(1)
    now[0] = 11
    f(1)
    assert calls == [1, 1]


def test_cache_clear_and_wraps():
    @memoize()
    def documented(x):
        """Docs."""
        return x

    documented(1)
    documented.cache_clear()
    assert len(documented.cache) == 0
    assert documented.__name__ == "documented"
    assert documented.__doc__ == "Docs."


def test_make_key_simple_values():
    assert make_key((1,), {}) == 1
    assert make_key(("x",), {}) == "x"
    assert make_key((1, 2), {}) == (1, 2)
    assert make_key((), {"a": 1, "b": 2}) == make_key((), {"b": 2, "a": 1})
