"""R-CT-5 as an exact search: the most credits that can be transferred under every cap at once.

Each credited course is an ``Item`` with its credits and the caps that cover it; a cap is a limit
on the credits of the items it covers. Items whose caps are the same form one class (in the
engine: the same group and the same "from outside UNIMAS"), so within a class only the total
matters. The search takes the classes in order of preference and, for each, every total its
courses can make (subset sums over whole credits); it keeps, memoised on the room left under
each cap, the choice with the most credits in all, then the most in the first class, then the
second... Numbers are small (a programme has at most a few hundred credits), so this is exact
and fast. Ties between courses of one class go to larger courses first, then by key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Item:
    key: str
    credits: int
    caps: frozenset[str]  # the caps that cover it
    rank: tuple[int, ...] = ()  # preference of its class: lower is taken first


def subset_sums(credits: Sequence[int], most: int) -> list[int]:
    """Every total of some of ``credits`` that is at most ``most``, largest first."""
    reach = {0}
    for value in credits:
        reach |= {s + value for s in reach if s + value <= most}
    return sorted(reach, reverse=True)


def _pick(items: Sequence[Item], target: int) -> list[Item]:
    """The items of one class making exactly ``target``: larger first, then by key."""
    ordered = sorted(items, key=lambda i: (-i.credits, i.key))
    reach_after: list[set[int]] = [set() for _ in ordered] + [{0}]
    for index in range(len(ordered) - 1, -1, -1):
        later = reach_after[index + 1]
        reach_after[index] = later | {s + ordered[index].credits for s in later}
    chosen = []
    for index, item in enumerate(ordered):
        if target - item.credits in reach_after[index + 1]:
            chosen.append(item)
            target -= item.credits
    return chosen


def best_selection(items: Sequence[Item], limits: Mapping[str, int]) -> tuple[Item, ...]:
    """The items to keep: the most credits under every limit, preferring earlier classes."""
    keys = sorted(limits)
    classes: dict[tuple[tuple[int, ...], frozenset[str]], list[Item]] = {}
    for item in items:
        classes.setdefault((item.rank, item.caps & frozenset(keys)), []).append(item)
    order = sorted(classes, key=lambda c: (c[0], sorted(c[1])))
    covered = [tuple(n for n, key in enumerate(keys) if key in caps) for _rank, caps in order]
    sums = [subset_sums([i.credits for i in classes[c]], sum(i.credits for i in classes[c])) for c in order]

    @cache
    def best(index: int, room: tuple[int, ...]) -> tuple[int, tuple[int, ...]]:
        if index == len(order):
            return 0, ()
        fits = min((max(room[n], 0) for n in covered[index]), default=None)
        winner: tuple[int, int, tuple[int, ...]] | None = None
        for total in sums[index]:
            if fits is not None and total > fits:
                continue
            left = tuple(r - total if n in covered[index] else r for n, r in enumerate(room))
            rest_total, rest = best(index + 1, left)
            candidate = (total + rest_total, total, rest)
            if winner is None or candidate > winner:
                winner = candidate
        assert winner is not None  # the empty choice always fits
        return winner[0], (winner[1], *winner[2])

    _total, totals = best(0, tuple(limits[k] for k in keys))
    kept: list[Item] = []
    for cls, total in zip(order, totals, strict=True):
        kept += _pick(classes[cls], total)
    return tuple(kept)


def best_total(items: Sequence[Item], limits: Mapping[str, int]) -> int:
    return sum(i.credits for i in best_selection(items, limits))
