"""A plain HTML overview of Allure results, for machines without Node.js.

The full report comes from Allure's own CLI (``ketentest report``); this page is the
fallback: every scenario with its outcome, its steps and links to the exchanged
messages, readable from ``file://`` with no JavaScript.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

STATUS_NL = {"passed": "geslaagd", "failed": "mislukt", "broken": "fout", "skipped": "overgeslagen"}


def write_overview(results: Path, target: Path) -> Path:
    rows = []
    for path in sorted(results.glob("*-result.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        rows.append(data)
    rows.sort(key=lambda d: (d.get("fullName", ""), d.get("start", 0)))
    link_base = os.path.relpath(results, target.parent)
    parts = ["<!doctype html><html lang='nl'><meta charset='utf-8'>",
             "<title>ketentest - resultaten</title>",
             "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
             ".geslaagd{color:#176c2d}.mislukt,.fout{color:#b00020}li{margin:.2em 0}</style>",
             "<h1>ketentest - resultaten</h1>"]
    passed = sum(1 for r in rows if r.get("status") == "passed")
    parts.append(f"<p>{len(rows)} scenario's: {passed} geslaagd, {len(rows) - passed} niet.</p>")
    for data in rows:
        status = STATUS_NL.get(data.get("status", ""), data.get("status", ""))
        parts.append(f"<h2 class='{status}'>{html.escape(data.get('name', ''))} - {status}</h2>")
        message = (data.get("statusDetails") or {}).get("message")
        if message:
            parts.append(f"<pre>{html.escape(message[:2000])}</pre>")
        parts.append("<ol>")
        for step in data.get("steps", []):
            step_status = STATUS_NL.get(step.get("status", ""), "")
            parts.append(f"<li class='{step_status}'>{html.escape(step.get('name', ''))}</li>")
        parts.append("</ol><h3>Uitgewisselde berichten</h3><ul>")
        for attachment in data.get("attachments", []):
            href = html.escape(f"{link_base}/{attachment['source']}")
            parts.append(f"<li><a href='{href}'>{html.escape(attachment['name'])}</a></li>")
        parts.append("</ul>")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(parts), encoding="utf-8")
    return target
