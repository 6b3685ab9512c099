"""Curate: choose and make the data the next training round learns from."""
