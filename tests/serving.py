"""Helpers for the tests of `accord serve`: a real server in a subprocess, on a free loopback port.

`served(*args)` starts `accord serve --port 0 ARGS` (loopback only), waits for the line that names
its address, yields the base URL, then stops it (SIGTERM, then SIGKILL if it lingers).
"""

from __future__ import annotations

import json
import re
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from conftest import ACCORD, cli_env

STARTUP_SECONDS = 60


@contextmanager
def served(*args: str) -> Iterator[str]:
    proc = subprocess.Popen([str(ACCORD), "serve", "--port", "0", *args], env=cli_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    assert proc.stderr is not None
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        url = None
        seen = []
        while url is None and time.monotonic() < deadline:
            line = proc.stderr.readline().decode("utf-8", "replace")
            seen.append(line)
            found = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
            if found:
                url = found.group(1)
            elif not line and proc.poll() is not None:
                break
        if url is None:
            raise AssertionError(f"accord serve did not start: {''.join(seen)}")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)
        proc.stderr.close()


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)
