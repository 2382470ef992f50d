"""One cog per feature: parse Discord input, call one service, render the reply."""
