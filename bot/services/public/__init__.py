"""The public web view's services (issue 20): what anyone on the internet may read, and the
few writes the bot makes so the web knows what is public (opt-in, opt-out, public channels).

The web process only ever holds a :class:`~bot.services.public.reader.PublicReader`, built on
a read-only session factory; the writes live in :mod:`bot.services.public.listing` and are
called by the bot's cogs.
"""
