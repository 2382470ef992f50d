"""Resolution reminders and close warnings: what is due, claiming and recording sends, and the
reminder-DM queue."""
