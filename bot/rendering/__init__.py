"""Pure Discord building blocks shared by features: the prediction embed and buttons, the
custom_ids that route clicks, charts as files, limits, mention splitting, the paginator,
replies and the one error path. No handler, no service call, no import of the client."""
