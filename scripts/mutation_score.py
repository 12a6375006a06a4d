"""Print the mutation score of `make mutation` and fail under the goal.

Score = mutants a test killed (or timed out) / mutants a test reached. A mutant no test reaches is
listed by function: every function of the rules must be reached. Survivors are read with
`mutmut results` (names) and `mutmut show NAME` (the change); docs/mutation.md lists those that
cannot be killed because they change nothing observable (equivalent mutants).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

GOAL = 90.0
MUTMUT = str(Path(sys.executable).with_name("mutmut"))


def main() -> int:
    subprocess.run([MUTMUT, "export-cicd-stats"], check=True, capture_output=True)  # noqa: S603 (fixed argv)
    stats = json.loads(Path("mutants/mutmut-cicd-stats.json").read_text())
    caught = stats["killed"] + stats["timeout"]
    reached = stats["total"] - stats["no_tests"] - stats["skipped"]
    score = 100 * caught / reached if reached else 0.0
    print(
        f"mutants {stats['total']}: killed {stats['killed']}, timed out {stats['timeout']}, "
        f"survived {stats['survived']}, suspicious {stats['suspicious']}, reached by no test {stats['no_tests']}"
    )
    print(f"score: {caught} of {reached} reached mutants killed = {score:.1f}% (goal {GOAL:.0f}%)")
    listing = subprocess.run([MUTMUT, "results"], check=True, capture_output=True, text=True).stdout  # noqa: S603
    unreached = Counter(
        re.sub(r"__mutmut_\d+$", "", name.strip())
        for name, status in (line.rsplit(":", 1) for line in listing.splitlines() if ":" in line)
        if status.strip() == "no tests"
    )
    for function, count in sorted(unreached.items()):
        print(f"reached by no test: {function} ({count} mutants)")
    survivors = Counter(
        re.sub(r"__mutmut_\d+$", "", name.strip())
        for name, status in (line.rsplit(":", 1) for line in listing.splitlines() if ":" in line)
        if status.strip() == "survived"
    )
    print("survivors by function (mutmut show NAME for each):")
    for function, count in survivors.most_common():
        print(f"  {count:3d}  {function}")
    return 0 if score >= GOAL and not unreached else 1


if __name__ == "__main__":
    sys.exit(main())
