"""Summarise mutmut runs for docs/testing.md: per mutated module, how many mutants were killed,
survived, timed out, had no covering test or were not checked, and each mutant not killed with
its one-line diff.

    .venv/bin/python tests/mutation_report.py CHECKOUT [CHECKOUT...] > /tmp/mutation.md

With ``MUTATION_REASONS=docs/mutation-reasons.txt`` each mutant not killed is followed by the
reason written for it there (lines ``<mutant or function name> | <reason>``; a mutant's own line
wins over its function's), or "not examined".

Each CHECKOUT is a folder where ``mutmut run`` ran (it holds ``mutants/``). A later checkout's
verdict replaces an earlier one's for the same mutant, unless the later one did not check it:
a re-run of some functions (``mutmut run "module.function*"``) after tests were added is merged
over the full run that way. Not a test module (no ``test_`` prefix): pytest does not collect it.
"""

from __future__ import annotations

import ast
import difflib
import json
import os
import sys
from collections import Counter
from pathlib import Path

# mutmut 3's exit codes (mutmut/__main__.py, status_by_exit_code)
STATUS: dict[int | None, str] = {
    1: "killed",
    3: "killed",
    0: "survived",
    None: "not checked",
    5: "no tests",
    33: "no tests",
    34: "skipped",
    35: "suspicious",
    24: "timeout",
    -24: "timeout",
    36: "timeout",
    152: "timeout",
    255: "timeout",
    -9: "segfault",
    -11: "segfault",
}
COLUMNS = ("killed", "survived", "timeout", "no tests", "not checked")


def verdicts(checkouts: list[Path]) -> dict[str, tuple[str, str, Path]]:
    """mutant key -> (module path, status, checkout that decided it)."""
    found: dict[str, tuple[str, str, Path]] = {}
    for checkout in checkouts:
        root = checkout / "mutants"
        for meta in sorted(root.rglob("*.py.meta")):
            module = str(meta.relative_to(root))[: -len(".meta")]
            for key, code in json.loads(meta.read_text())["exit_code_by_key"].items():
                status = STATUS.get(code, f"exit {code}")
                if key not in found or status != "not checked":
                    found[key] = (module, status, checkout)
    return found


def diff_of(key: str, module: str, checkout: Path, cache: dict[Path, dict[str, str]]) -> str:
    """The mutant's changed lines against the original function, as mutmut show prints them."""
    path = checkout / "mutants" / module
    if path not in cache:
        source = path.read_text()
        lines = source.splitlines()
        cache[path] = {
            node.name: "\n".join(lines[node.lineno - 1 : node.end_lineno])
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        }
    name = key[len(module[: -len(".py")].replace("/", ".")) + 1 :]
    original = cache[path].get(name.rsplit("__mutmut_", 1)[0] + "__mutmut_orig", "").splitlines()
    mutant = cache[path].get(name, "").splitlines()
    lines = [
        line
        for line in difflib.unified_diff(original[1:], mutant[1:], lineterm="", n=0)
        if line[:1] in "-+" and line[:3] not in ("---", "+++")
    ]
    return " / ".join(f"`{line[0]} {line[1:].strip()}`" for line in lines) or "(no diff)"


def reasons_from(path: str) -> dict[str, str]:
    found: dict[str, str] = {}
    if path:
        for line in Path(path).read_text().splitlines():
            if "|" in line and not line.startswith("#"):
                name, reason = line.split("|", 1)
                found[name.strip()] = reason.strip()
    return found


def report(checkouts: list[Path], reasons: dict[str, str] | None = None) -> str:
    reasons = reasons or {}
    found = verdicts(checkouts)
    by_module: dict[str, Counter[str]] = {}
    for module, status, _checkout in found.values():
        by_module.setdefault(module, Counter())[status] += 1
    out = ["| module | generated | " + " | ".join(COLUMNS) + " | killed / generated |", "|---|" + "---:|" * 7]
    total: Counter[str] = Counter()
    for module, counts in sorted(by_module.items()):
        total.update(counts)
        out.append(_row(f"`{module}`", counts))
    out.append(_row("**all**", total))
    out.append("")
    out.append("Mutants not killed, by function:")
    out.append("")
    last = ""
    cache: dict[Path, dict[str, str]] = {}
    for key, (module, status, checkout) in sorted(found.items()):
        if status in ("killed", "not checked"):
            continue
        function = key.rsplit("__mutmut_", 1)[0]
        if function != last:
            out.append(f"- `{function}`:")
            last = function
        reason = reasons.get(key) or reasons.get(function) or "not examined"
        out.append(f"  - {key.rsplit('__', 1)[1]} ({status}): {diff_of(key, module, checkout, cache)}: {reason}")
    return "\n".join(out) + "\n"


def _row(name: str, counts: Counter[str]) -> str:
    generated = sum(counts.values())
    share = f"{100 * counts['killed'] / generated:.1f}%" if generated else "-"
    return f"| {name} | {generated} | " + " | ".join(str(counts[c]) for c in COLUMNS) + f" | {share} |"


if __name__ == "__main__":
    chosen = reasons_from(os.environ.get("MUTATION_REASONS", ""))
    sys.stdout.write(report([Path(arg).resolve() for arg in sys.argv[1:]] or [Path.cwd()], chosen))
