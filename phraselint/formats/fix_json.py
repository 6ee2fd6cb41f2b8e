"""`phraselint fix --format json`: what was fixed (or, with --diff, would be), as one JSON
document on stdout. Not one of the `check` formats: it reports edits, not findings.

    {"version": 1,
     "files": [{"path": "macros.json", "changed": true, "applied": 2,
                "edits": [{"offset": 38, "end_offset": 49, "replacement": "I apologize for"}],
                "remaining": [<findings left, as check --format json gives them, in the fixed text>]}],
     "summary": {"applied": 2, "changed_files": 1, "remaining": 3, "fixable": 0, "dry_run": false},
     "errors": ["phraselint: …"]}

`edits` are in the original file's character offsets (its decoded text), merged where later
passes touched earlier edits. For stdin (`-`) the entry also has `text`, the fixed text.
"""

from __future__ import annotations

import json
from typing import TextIO

from phraselint.errors import shown_path

VERSION = 1


def _file(fixed) -> dict:
    entry = {"path": shown_path(fixed.path), "changed": fixed.changed, "applied": fixed.applied,
             "edits": [{"offset": o0, "end_offset": o1, "replacement": fixed.after[c0:c1]}
                       for o0, o1, c0, c1 in fixed.log.spans],
             "remaining": [f.to_dict() for f in fixed.remaining]}
    if fixed.path == "-":
        entry["text"] = fixed.after
    return entry


def write(result, out: TextIO, dry_run: bool = False) -> None:
    """`result`: a `fixfile.FixReport`."""
    remaining = result.remaining
    doc = {"version": VERSION, "files": [_file(f) for f in result.files],
           "summary": {"applied": result.applied, "changed_files": sum(1 for f in result.files if f.changed),
                       "remaining": len(remaining), "fixable": sum(1 for f in remaining if f.fix),
                       "dry_run": dry_run},
           "errors": list(result.errors)}
    out.write(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
