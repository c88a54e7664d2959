"""Fidelity fixes for the services applications attach (parameters, secrets, keys, queues,
topics, buckets, tables, rules, identities, DNS), one module per group, in the form of
`fidelity.py`: each module's `FIXES` lists `(moto module, fix)` pairs, and `fidelity.apply()`
registers every one with the import hook, so a fix runs right after moto imports the module
it patches. Each fix's docstring cites the AWS documentation of the behaviour it restores.
"""

from collections.abc import Callable

from . import config, data, dns, events, identities, messaging

#: Every group's fixes, in the order they are registered.
FIXES: list[tuple[str, Callable[[], None]]] = [
    *config.FIXES,
    *messaging.FIXES,
    *data.FIXES,
    *events.FIXES,
    *identities.FIXES,
    *dns.FIXES,
]
