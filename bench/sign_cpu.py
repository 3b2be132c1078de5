"""Benchmark: CPU per ``ld.sign`` of an issued-size Open Badges credential (canonicalisation and
Ed25519) in one process, for any checkout (``--root``), so the code before and after issue 15
can be compared side by side in alternating runs. No database. Not a test.

    .venv/bin/python bench/sign_cpu.py [--root OTHER] [--count 300]
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=HERE.parent)
    parser.add_argument("--count", type=int, default=300)
    options = parser.parse_args()
    root = options.root.resolve()
    sys.path.insert(0, str(root))
    os.chdir(root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mcportal.settings")
    os.environ.setdefault("MCPORTAL_VAR_DIR", str(Path(tempfile.gettempdir()) / "mcportal-bench-var"))
    import django

    django.setup()
    from credentials import ld
    from tests.credentials.test_signing import ob_credential

    key = ld.current_signing_key()
    template = ob_credential()
    outcomes = template["credentialSubject"]["achievement"]["learningOutcomes"]
    for n in range(3, 7):  # an issued course has about six outcomes
        outcomes.append({"position": n, "outcome": f"Outcome {n} of the course.", "attainment": "Achieved"})
    documents = []
    for n in range(options.count + 20):
        document = copy.deepcopy(template)
        document["id"] = f"https://mc.example.edu/verify/{n}/credential.json"
        document["serialNumber"] = f"UNIMAS-MC-2026-{n:06d}"
        document["credentialSubject"]["identifier"][1]["identityHash"] = f"Learner {n}"
        documents.append(document)
    for document in documents[:20]:  # contexts processed once per process
        ld.sign(document, key=key)
    start = time.process_time()
    for document in documents[20:]:
        ld.sign(document, key=key)
    cpu = (time.process_time() - start) / options.count
    one, five, fifteen = os.getloadavg()
    print(
        f"{root.name}: ld.sign {cpu * 1000:.2f} ms CPU each ({options.count}); load {one:.2f} {five:.2f} {fifteen:.2f}"
    )


if __name__ == "__main__":
    main()
