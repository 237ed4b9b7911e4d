"""Shared plumbing used by every layer: settings, time and Indonesian formatting."""
