"""Small features every club has: /help and /start, the start-up health check, tracking
who the bot has met, and the database operations behind ``python -m bot backup/export``."""
