"""The socket guard is active for the whole suite, and the offline-sensitive stack works under it."""

from __future__ import annotations

import socket
import urllib.request

import pytest

import offline


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
