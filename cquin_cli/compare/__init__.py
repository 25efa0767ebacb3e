"""Comparing two versions of a scheme (``cquin diff``): what changed, in a negotiator's words, and what it is worth."""
