"""`cached_property` without a lock.

Python 3.11's `functools.cached_property` takes a lock at each first read (3.12 dropped it):
that doubles the cost of a property read once per candidate match (`context.Site`) or once per
reply (`coaching.checks.Facts`). This one stores the value in the instance the same way, so
later reads never reach it; it is for objects that one thread works on at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class cached_property:  # named as the functools one it stands in for
    def __init__(self, func: Callable[[Any], Any]):
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value
