"""The socket guard is active for the whole suite, and the offline-sensitive stack works under it."""

from __future__ import annotations

import socket
import urllib.request

import offline
import pytest


def test_outbound_connection_fails() -> None:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(offline.NetworkAccessError):
            s.connect(("203.0.113.7", 80))  # TEST-NET-3, never routed
    finally:
        s.close()


def test_name_lookup_fails() -> None:
    with pytest.raises(offline.NetworkAccessError):
        socket.getaddrinfo("pypi.org", 443)


def test_urlopen_fails() -> None:
    with pytest.raises(Exception) as info:
        urllib.request.urlopen("http://example.com/", timeout=1)
    assert "offline" in str(info.value)


def test_loopback_is_allowed() -> None:
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    cli = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        cli.connect(srv.getsockname())
    finally:
        cli.close()
        srv.close()


def test_textstat_and_vader_work_offline() -> None:
    import textstat
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    assert textstat.syllable_count("cooperation") == 5
    assert SentimentIntensityAnalyzer().polarity_scores("good")["compound"] > 0


def test_notebook_kernels_run_under_the_guard(tmp_path) -> None:
    """`make test` starts nbval kernels with IPYTHONDIR=tests/ipython: its startup file installs the guard."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    here = Path(__file__).resolve().parent
    ipython = Path(sys.executable).with_name("ipython")
    env = dict(os.environ, IPYTHONDIR=str(here / "ipython"))
    code = "import socket, offline; print(socket.socket.connect is not offline._orig['connect'])"
    res = subprocess.run([str(ipython), "--no-banner", "-c", code], capture_output=True, text=True, env=env,
                         timeout=120, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip().endswith("True")


def test_importing_the_package_prints_nothing_and_changes_no_style() -> None:
    import subprocess
    import sys

    code = ("import matplotlib as m; before = dict(m.rcParams)\n"
            "import analysis, analysis.pipeline, analysis.plots, analysis.corpus, analysis.sentiment, "
            "analysis.phrases, analysis.reuse, analysis.protocol, analysis.entities, analysis.readability, "
            "analysis.events, analysis.validate, analysis.engines, analysis.tables\n"
            "assert dict(m.rcParams) == before\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout == "" and res.stderr == ""
