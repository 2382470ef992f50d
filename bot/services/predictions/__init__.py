"""Creating, finding, tagging and editing predictions, their history, and the stale mark of
their public messages."""
