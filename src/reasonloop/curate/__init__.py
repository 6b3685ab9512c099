"""Curate: choose and make the data the next training round learns from.

- `resample`: difficulty-aware resampling, extra and longer samples for hard problems.
- `rationalize`: STaR rationalization, hinted solutions for the problems no sample solved.
"""
