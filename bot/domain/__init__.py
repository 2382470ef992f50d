"""The vocabulary and rules of forecasting in a server, free of Discord and of the database.

Services, cogs, rendering and ``db.models`` all speak these words, so a rule such as "is voting
open" is written once, here.
"""
