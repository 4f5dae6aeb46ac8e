"""``chatstats generate``: realistic synthetic sessions, reproducible from a seed.

Each session has its own random generator seeded by ``(seed, index)``, so the same seed gives the
same bytes, any session can be made without the ones before it, and memory stays flat. The mix:
a customer who writes while queueing and may give up (abandoned), an optional bot first, agents
after a queue wait, runs of messages with human reply delays, typing notices, transfers,
conferences, coaching and monitoring supervisors, async holds with later wake-ups, and endings by
the customer (quit or disconnect), by the agent (force close, close if no agents), or by the
agent leaving first (visited).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from chatstats_core.transcript.loading.json_format import FORMAT_TAG

_BASE = datetime(2026, 1, 1, tzinfo=UTC)
_WORDS = (
    "hello",
    "thanks",
    "order",
    "account",
    "please",
    "router",
    "bill",
    "the",
    "is",
    "my",
    "not",
    "working",
    "can",
    "you",
    "check",
    "again",
    "today",
    "number",
    "help",
    "ok",
)
_ORIGINS = ("web", "web", "web", "mobile", "whatsapp", "sms")
_LANGUAGES = ("english", "english", "german", "french", "spanish")


class _Session:
    """Builds one session's events with a clock that only moves forward."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.t = 0.0
        self.events: list[dict[str, Any]] = []

    def wait(self, seconds: float) -> None:
        self.t += max(0.0, seconds)

    def add(self, kind: str, **fields: Any) -> None:
        self.events.append({"t": round(self.t), "type": kind, **fields})

    def text(self) -> str:
        return " ".join(self.rng.choice(_WORDS) for _ in range(self.rng.randint(1, 12)))

    def talk(
        self, customer: str, agent: str, exchanges: int, agent_visibility: str = "ALL"
    ) -> None:
        """Alternating runs: the customer writes, the agent answers after a human delay."""
        for _ in range(exchanges):
            for _ in range(self.rng.choice((1, 1, 1, 2, 3))):
                if self.rng.random() < 0.3:
                    self.add("notice", party=customer, notice="TYPING_STARTED")
                    self.wait(self.rng.uniform(2, 15))
                self.add("message", party=customer, text=self.text())
                self.wait(self.rng.uniform(1, 8))
            self.wait(self.rng.lognormvariate(2.8, 0.7))
            for _ in range(self.rng.choice((1, 1, 2))):
                self.add("message", party=agent, text=self.text(), visibility=agent_visibility)
                self.wait(self.rng.uniform(1, 10))
            self.wait(self.rng.lognormvariate(2.5, 0.8))


def session_document(
    seed: int, index: int, async_share: float = 0.0, bots: bool = False
) -> dict[str, Any]:
    """The ``index``-th session of ``seed``, as a canonical JSON document."""
    rng = random.Random(f"chatstats:{seed}:{index}")
    is_async = rng.random() < async_share
    s = _Session(rng)
    s.add("join", party="c1", role="client", nick=f"customer{index}")
    s.wait(rng.uniform(1, 10))
    s.add("message", party="c1", text=s.text())
    if bots and rng.random() < 0.5:
        _bot(s)
    queue = rng.expovariate(1 / 60)
    if rng.random() < min(0.8, queue / 400):  # the longer the wait, the likelier the abandon
        s.wait(queue)
        s.add("leave", party="c1", **({"cause": "disconnect"} if rng.random() < 0.4 else {}))
        return _document(seed, index, s, is_async, rng)
    s.wait(queue)
    agent = _join_agent(s, 1)
    s.talk("c1", agent, rng.randint(1, 6))
    if is_async:
        agent = _async_holds(s, agent)
    agent = _extras(s, agent)
    _end(s, agent)
    return _document(seed, index, s, is_async, rng)


def _bot(s: _Session) -> None:
    s.add("join", party="b1", role="bot", nick="bot")
    s.wait(s.rng.uniform(0, 2))
    for _ in range(s.rng.randint(1, 4)):
        s.add("message", party="b1", text=s.text())
        s.wait(s.rng.uniform(3, 20))
        s.add("message", party="c1", text=s.text())
        s.wait(s.rng.uniform(1, 5))
    s.add("leave", party="b1")


def _join_agent(s: _Session, number: int) -> str:
    party = f"a{number}"
    s.add("join", party=party, role="agent", person=f"agent{s.rng.randint(1, 400)}")
    s.wait(s.rng.uniform(2, 20))
    return party


def _async_holds(s: _Session, agent: str) -> str:
    """The agent puts the chat on hold; hours later the customer writes and another agent comes."""
    for hold in range(s.rng.randint(1, 3)):
        s.add("leave", party=agent)
        s.wait(s.rng.uniform(600, 36000))
        s.add("message", party="c1", text=s.text())
        s.wait(s.rng.uniform(5, 120))
        agent = _join_agent(s, 10 + hold)
        s.talk("c1", agent, s.rng.randint(1, 3))
    return agent


def _extras(s: _Session, agent: str) -> str:
    """Transfers, conferences, coaches and monitors, now and then."""
    roll = s.rng.random()
    if roll < 0.10:  # transfer: a new agent joins, the first leaves
        new = _join_agent(s, 2)
        s.add("leave", party=agent)
        s.talk("c1", new, s.rng.randint(1, 4))
        agent = new
    elif roll < 0.15:  # conference: a second agent joins for a while
        second = _join_agent(s, 3)
        s.talk("c1", second, 1)
        s.add("leave", party=second)
    if s.rng.random() < 0.05:
        s.add("join", party="s1", role="supervisor", visibility="VIP", person="coach")
        s.talk("c1", agent, 1)
        s.add("message", party="s1", text=s.text(), visibility="VIP")
        s.add("leave", party="s1")
    if s.rng.random() < 0.03:
        s.add("join", party="s2", role="supervisor", visibility="INT", person="qa")
        s.wait(s.rng.uniform(10, 60))
        s.add("leave", party="s2")
    return agent


def _end(s: _Session, agent: str) -> None:
    roll = s.rng.random()
    if roll < 0.60:  # the customer leaves, then the agent
        s.add("leave", party="c1", **({"cause": "disconnect"} if s.rng.random() < 0.3 else {}))
        s.wait(s.rng.uniform(1, 30))
        s.add("leave", party=agent, after="close-if-no-agents")
    elif roll < 0.85:  # the agent force-closes; Chat Server removes the customer
        s.add("leave", party=agent, after="force-close")
        s.add("leave", party="c1", cause="removed", by=agent)
    else:  # the agent leaves first (visited), the customer later
        s.add("leave", party=agent)
        s.wait(s.rng.uniform(5, 300))
        s.add("leave", party="c1")


def _document(
    seed: int, index: int, s: _Session, is_async: bool, rng: random.Random
) -> dict[str, Any]:
    started = _BASE + timedelta(seconds=index * 37)
    user_data = {
        "MediaType": "chat",
        "MediaOrigin": rng.choice(_ORIGINS),
        "GCTI_LanguageName": rng.choice(_LANGUAGES),
        "GCTI_Chat_AsyncMode": "true" if is_async else "false",
    }
    return {
        "format": FORMAT_TAG,
        "session_id": f"gen-{seed}-{index:08d}",
        "started_at": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tenant_id": 100 + index % 3,
        "user_data": user_data,
        "events": s.events,
    }


def generate(
    count: int, seed: int, async_share: float = 0.0, bots: bool = False
) -> Iterator[dict[str, Any]]:
    """``count`` sessions, one at a time."""
    for index in range(count):
        yield session_document(seed, index, async_share, bots)


def long_async_session(events: int, seed: int = 0) -> dict[str, Any]:
    """One async session of about ``events`` events: many holds and wake-ups (for benchmarks)."""
    rng = random.Random(f"chatstats-long:{seed}")
    s = _Session(rng)
    s.add("join", party="c1", role="client")
    number = 0
    while len(s.events) < events - 2:
        number += 1
        agent = f"a{number}"
        s.add("message", party="c1", text=s.text())
        s.wait(rng.uniform(5, 60))
        s.add("join", party=agent, role="agent", person=f"agent{number % 50}")
        s.talk("c1", agent, rng.randint(1, 4))
        s.add("leave", party=agent)
        s.wait(rng.uniform(300, 7200))
    s.add("leave", party="c1")
    document = _document(seed, 0, s, True, rng)
    document["session_id"] = f"long-async-{seed}"
    return document
