"""Print BuildKit's instruction line ranges for Dockerfiles, as JSON (test oracle).

Usage: buildkit_lines.py FILE...   ->  {"FILE": {"ok": true, "lines": [[start, end], ...]}
                                         or {"ok": false, "error": "..."}}
Uses the PyPI package `dockerfile`, a binary wheel of BuildKit's own Go parser.
"""
import json
import sys

import dockerfile

out = {}
for path in sys.argv[1:]:
    try:
        cmds = dockerfile.parse_file(path)
        out[path] = {"ok": True, "lines": [[c.start_line, c.end_line] for c in cmds]}
    except Exception as e:  # GoParseError and friends
        out[path] = {"ok": False, "error": str(e)}
json.dump(out, sys.stdout)
