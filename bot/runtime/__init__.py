"""What every feature shares on the Discord side.

The bot client and its typed accessor, the one keeper of prediction messages, channel and
permission lookups, forum tags and the autocompletes several commands use. Features (``cogs``)
build on this; it never imports a feature.
"""
