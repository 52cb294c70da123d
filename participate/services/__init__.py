"""Business actions: plain functions that take the actor and objects, flush, and never commit."""
