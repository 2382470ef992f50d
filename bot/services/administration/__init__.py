"""The bot's dealings with servers and members' names: set-up, development guilds, health."""
