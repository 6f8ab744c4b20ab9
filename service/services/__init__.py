"""Business logic: plain functions that take the session explicitly and never commit."""
