#!/usr/bin/env python3
"""Print the app-to-app import table of satuatap (counts of import statements per pair).

    python scripts/import_table.py [REPOSITORY]   # default: this repository
    python scripts/import_table.py --all          # also the imports of the project library
    python scripts/import_table.py --violations   # also list every edge against the rules
    python scripts/import_table.py --fold         # count by app folder (a unit app.part counts as app)

The rules and the walk are ``satuatap/layering.py`` (standard library only, no Django needed);
``tests/test_layering.py`` fails on any edge against them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

from satuatap import layering  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", nargs="?", default=str(HERE), help="repository to read (default: this one)")
    parser.add_argument("--all", action="store_true", help="include the project library in the table")
    parser.add_argument("--fold", action="store_true", help="count by app folder, not by unit")
    parser.add_argument("--violations", action="store_true", help="list every import against the rules")
    args = parser.parse_args()
    edges, private = layering.walk_tree(Path(args.root))
    print(layering.format_table(edges, apps_only=not args.all, fold=args.fold))
    if args.violations:
        found = layering.violations(edges, private)
        print(f"\nimports against the rules and private names across modules: {len(found)}")
        for line in found:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
