"""A deterministic demo world, so a fresh install shows useful pages before any credential.

Public API: :func:`demo.world.build_world`, :func:`demo.load.load_demo`,
:func:`demo.load.demo_needed`.
"""
