"""Static SVG charts (placeholder interface: timeline and statistics return None until implemented)."""

from __future__ import annotations


def timeline(views, refs):
    return None


def statistics(views):
    return []
