"""Discord-facing rendering shared by several cogs: embeds, views, replies."""
