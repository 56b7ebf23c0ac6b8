"""Time, peak memory and size of the documents for a collectivité with 60 open actions.

The plan is the full level-1 plan (every scored question answered « non »), padded to 60 open
actions with planned copies (pilot, function, due dates over three years), so the PDF is as long
as a big roadmap. Rendering only: the data is gathered once, on the in-memory store.

Run from the repository root: `python -m benchmarks.documents [--actions 60] [--runs 20]`
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
import tracemalloc
from datetime import date, timedelta

from dialogs.documents.data import RoadmapData
from dialogs.documents.files import DocumentFormat, make
from dialogs.ports import Transaction
from referential.loader import default_referential
from tests.helpers.documents import arrange, data_of
from tests.helpers.fake_store import FakeDatabase


def big_plan(actions: int) -> RoadmapData:
    ref = default_referential()

    def work(tx: Transaction) -> RoadmapData:
        return data_of(tx.store, ref, arrange(tx, ref))

    data = FakeDatabase().run(work)
    rows = list(data.open_rows)
    padded = []
    for i in range(actions):
        row = rows[i % len(rows)]
        padded.append(
            dataclasses.replace(
                row,
                number=i + 1,
                pilot="Camille Martin",
                pilot_function="Directrice générale des services",
                due_date=None if i % 5 == 0 else date(2026, 12, 1) + timedelta(days=17 * i),
            )
        )
    return dataclasses.replace(data, rows=tuple(padded))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actions", type=int, default=60)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    data = big_plan(args.actions)
    make(data, DocumentFormat.PDF)  # imports fpdf2 once, outside the timings
    print(
        f"{len(data.open_rows)} open actions, {len(data.themes)} themes, {len(data.history)} history points"
    )
    for fmt in DocumentFormat:
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            file = make(data, fmt)
            times.append(time.perf_counter() - start)
        tracemalloc.start()
        make(data, fmt)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"{fmt.value}: {len(file.content) / 1024:.1f} KiB, median {statistics.median(times) * 1000:.1f} ms,"
            f" max {max(times) * 1000:.1f} ms, peak Python memory {peak / 1024 / 1024:.1f} MiB"
        )


if __name__ == "__main__":
    main()
