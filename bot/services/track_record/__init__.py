"""Track records: statistics, calibration, leaderboards, and telling members how they did."""
