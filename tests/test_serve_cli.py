"""The `accord serve` command: it starts on loopback, answers, stops cleanly, and refuses bad set-ups."""

from __future__ import annotations

import socket
import subprocess
import urllib.error
import urllib.request
from collections.abc import Callable

from conftest import ACCORD, FIXTURES, MINI, Run, cli_env
from serving import get_json, served


def test_serve_answers_on_loopback_and_stops_cleanly() -> None:
    with served() as url:
        assert url.startswith("http://127.0.0.1:")
        editions = get_json(f"{url}/api/editions")
        assert [e["id"] for e in editions][-1] == "e2016"
        result = get_json(f"{url}/api/query?edition=e2016&scenario=news_2015_us_ship_attacked")
        assert result["possible"] is True and result["actions"]
        with urllib.request.urlopen(f"{url}/", timeout=30) as page:
            assert b"static/js/main.js" in page.read()
        try:
            urllib.request.urlopen(f"{url}/api/query?edition=nope", timeout=30)
            raise AssertionError("expected a 400")
        except urllib.error.HTTPError as err:
            assert err.code == 400 and b"no edition" in err.read()


def test_serve_loads_the_rules_it_is_given_at_start_up() -> None:
    with served("--rules", str(MINI)) as url:
        assert [e["id"] for e in get_json(f"{url}/api/editions")] == ["e1"]


def test_rules_with_errors_stop_it_before_it_listens(cli: Callable[..., Run]) -> None:
    run = cli(["serve", "--port", "0", "--rules", str(FIXTURES / "bad" / "syntax.accord")])
    assert run.code == 3 and "error" in run.stderr.lower()


def test_a_port_in_use_is_a_clear_error(cli: Callable[..., Run]) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        run = cli(["serve", "--port", str(port)])
    assert run.code == 2 and f"cannot listen on 127.0.0.1:{port}" in run.stderr


def test_help_names_the_safety_options() -> None:
    done = subprocess.run([str(ACCORD), "serve", "--help"], env=cli_env(), capture_output=True, check=False)
    text = done.stdout.decode()
    assert done.returncode == 0
    for option in ("--host", "--port", "--rules", "--timeout", "--max-body", "127.0.0.1"):
        assert option in text
