"""A fake of the six platform APIs Pantau collects from, for tests, demos and benchmarks.

In-process::

    sim = Simulator(synthetic_world(60, 12))  # simulator.builders; the demo: demo.simworld
    client = httpx.Client(transport=sim.transport())
    env = sim_settings_env(sim)  # PANTAU_* base URLs and fake credentials

As a local server: :func:`simulator.server.run_server` (loopback only).
"""

from __future__ import annotations

from simulator.core import IN_PROCESS_ROOT, PREFIXES, Simulator
from simulator.credentials import sim_settings_env
from simulator.faults import FAULT_KINDS, Fault
from simulator.world import SimAccount, SimPost, SimWorld

__all__ = [
    "FAULT_KINDS",
    "IN_PROCESS_ROOT",
    "PREFIXES",
    "Fault",
    "SimAccount",
    "SimPost",
    "SimWorld",
    "Simulator",
    "sim_settings_env",
]
