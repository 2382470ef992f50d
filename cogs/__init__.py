"""One package per feature: its slash commands, buttons, forms, listeners and texts.

A feature reads like a sentence (check, call the service, reply); no feature imports another.
Shared Discord pieces live in ``bot.runtime`` and ``bot.rendering``.
"""
