"""Translation status (placeholder until implemented)."""


def report_view(views) -> dict:
    return {"languages": [], "fiches": []}
