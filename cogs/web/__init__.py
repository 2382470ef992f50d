"""The public web view and JSON API (issue 20): read-only pages for servers that opted in.

It sits beside the cogs but is no Discord feature: it never imports discord, reads only
through :class:`bot.services.public.reader.PublicReader` (on a read-only engine), and is served
by aiohttp, from ``python -m bot web`` or beside the bot when ``WEB_PORT`` is set.

- :mod:`cogs.web.app`: the application, its routes, and a runner.
- :mod:`cogs.web.guards`: what every response goes through (errors, rate limit, ETag, headers).
- :mod:`cogs.web.pages` and :mod:`cogs.web.api`: the same reads as HTML and as JSON.
- :mod:`cogs.web.images`: charts and link-preview cards, drawn in the chart processes.
"""
