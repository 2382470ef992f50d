"""What every feature's services share: the unit of work and clock, plain values, prediction rows,
server configuration, time zones, notification choices and the shard filter."""
