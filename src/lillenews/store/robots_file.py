"""robots.txt as last fetched, per site: a small JSON file beside the cache
(`robots.json` in the cache dir), so that it is fetched at most once a day across
commands (net/robots.py decides what is fresh).

Its own file, not a table of cache.db: it is written by any command that fetches, even
one that never opens the cache. Written whole or not at all (a temporary file renamed
over it); read as untrusted (a wrong shape, a huge or non-regular file is ignored, and
robots.txt is simply fetched again). Failing to write it is silent: the cache's own
warning says the directory cannot be written, and robots.txt is fetched again next time."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

FILE_NAME = "robots.json"
MAX_FILE = 4 * 1024 * 1024  # a few sites' robots.txt (each at most 512 KiB)
MAX_SITES = 8  # a file shared by every base URL used with this cache dir


class RobotsFile:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _read_all(self) -> dict[str, Any]:
        try:
            info = os.stat(self.path)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE:
                return {}  # a FIFO would block the read; a huge file is not ours
            data = json.loads(self.path.read_bytes().decode("utf-8"))
        except (OSError, ValueError, RecursionError):
            return {}
        return data if isinstance(data, dict) else {}

    def load(self, site: str) -> dict[str, Any] | None:
        entry = self._read_all().get(site)
        return entry if isinstance(entry, dict) else None

    def save(self, site: str, data: dict[str, Any]) -> bool:
        entries = {k: v for k, v in self._read_all().items() if k != site and isinstance(v, dict)}
        entries = dict(list(entries.items())[-(MAX_SITES - 1) :]) if MAX_SITES > 1 else {}
        entries[site] = data
        tmp = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=self.path.parent, prefix=f".{FILE_NAME}.", delete=False
            ) as out:
                tmp = out.name
                json.dump(entries, out, ensure_ascii=False)
            os.replace(tmp, self.path)
            return True
        except OSError:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.remove(tmp)
            return False
