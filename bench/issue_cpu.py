"""Benchmark: CPU per credential of ``credentials_issue`` in one process, the issuing process and
its PostgreSQL backend apart, on a fresh database. ``--root`` runs another checkout's code (its
own migrations and services) with this same script, so two versions can be compared side by side
in alternating runs. Not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mc_bench .venv/bin/python bench/issue_cpu.py
    DATABASE_URL=... .venv/bin/python bench/issue_cpu.py --root /path/to/other/checkout
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=HERE.parent)
    parser.add_argument("--learners", type=int, default=400)
    parser.add_argument("--warm", type=int, default=50)
    options = parser.parse_args()
    root = options.root.resolve()
    sys.path.insert(0, str(root))
    os.chdir(root)
    sys.path.insert(1, str(HERE))
    import issuance as bench  # this folder's bench/issuance.py: database, fixture, CPU readers

    url = bench._fresh_database(os.environ["DATABASE_URL"])
    bench._setup_django(url)
    bench._migrate()
    ids = bench._fixture(options.learners, "cpu")
    warm, timed = ids[: options.warm], ids[options.warm :]
    bench._issue(warm)  # the course is read and the contexts processed once per process
    count, cpu, db_cpu = bench._issue(timed)
    print(
        f"{root.name}: {count} credentials, CPU per credential {cpu / count * 1000:.2f} ms in Python "
        f"+ {db_cpu / count * 1000:.2f} ms in PostgreSQL = {(cpu + db_cpu) / count * 1000:.2f} ms; "
        f"{bench._load()}"
    )


if __name__ == "__main__":
    main()
