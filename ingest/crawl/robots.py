"""robots.txt per host: allow rules through ``urllib.robotparser``, Crawl-delay with fractions.

``urllib.robotparser`` only accepts whole seconds as Crawl-delay and drops ``Crawl-delay: 0.5``, so
the delay is read here with the same agent matching. Following RFC 9309 and urllib, a missing
robots.txt (other 4xx) allows everything, 401/403 and an unreachable or failing one forbid
everything: a crawler that cannot read the rules does not guess.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.robotparser import RobotFileParser

logger = logging.getLogger(__name__)

MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309: at least 500 KiB must be parsed


@dataclass
class HostRules:
    """The parsed robots.txt of one host."""

    parser: RobotFileParser
    delay: float | None = None
    sitemaps: tuple[str, ...] = ()


@dataclass
class Robots:
    """robots.txt rules of the hosts a crawl visits, loaded once per host before its first page."""

    user_agent: str
    hosts: dict[str, HostRules] = field(default_factory=dict)

    @property
    def agent_token(self) -> str:
        return self.user_agent.split("/")[0].strip().lower()

    def load(self, host: str, status: int | None, text: str) -> HostRules:
        """Rules for ``host`` from the robots.txt response (``status`` None: not reachable)."""
        parser = RobotFileParser()
        rules = HostRules(parser)
        if status is not None and 200 <= status < 300:
            lines = text.splitlines()
            parser.parse(lines)
            rules.delay = _crawl_delay(lines, self.agent_token)
            rules.sitemaps = tuple(parser.site_maps() or ())
        elif status is not None and 400 <= status < 500 and status not in (401, 403):
            parser.parse([])
        else:
            logger.warning("robots.txt van %s onleesbaar (status %s): niets wordt opgehaald.", host, status)
            parser.parse(["User-agent: *", "Disallow: /"])
        self.hosts[host] = rules
        return rules

    def allowed(self, host: str, url: str) -> bool:
        rules = self.hosts.get(host)
        return rules is not None and rules.parser.can_fetch(self.user_agent, url)

    def delay(self, host: str) -> float | None:
        rules = self.hosts.get(host)
        return rules.delay if rules else None


def _crawl_delay(lines: list[str], agent: str) -> float | None:
    """The Crawl-delay of the group that names ``agent`` (else of ``*``), fractions allowed."""
    delays: dict[str, float] = {}
    group: list[str] = []
    in_rules = False
    for raw in lines:
        key, _, value = raw.split("#", 1)[0].partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "user-agent":
            if in_rules:
                group, in_rules = [], False
            group.append(value.lower())
        elif key:
            in_rules = True
            if key == "crawl-delay":
                try:
                    seconds = float(value)
                except ValueError:
                    continue
                for name in group:
                    delays.setdefault(name, max(seconds, 0.0))
    for name, seconds in delays.items():
        if name != "*" and name in agent:
            return seconds
    return delays.get("*")
