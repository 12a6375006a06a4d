"""The benchmarks `lindung bench <name>` runs. Each app registers its own in AppConfig.ready(), so the
command (in core) never imports the apps that own the code it measures."""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Bench:
    """`add_arguments` fills the bench's own parser; `run` takes the parsed options and returns the
    figures to print as JSON, or raises CommandError (exit code 2) on bad options."""

    name: str
    help: str
    add_arguments: Callable[[ArgumentParser], None]
    run: Callable[[dict[str, Any]], dict[str, Any]]


_benches: dict[str, Bench] = {}


def bench_register(bench: Bench) -> None:
    _benches[bench.name] = bench


def benches() -> list[Bench]:
    return sorted(_benches.values(), key=lambda bench: bench.name)


def clock_seed() -> int:
    import time

    return int(time.time())
