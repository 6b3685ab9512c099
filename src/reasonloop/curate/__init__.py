"""Curate: choose and make the data the next training round learns from.

- `resample`: difficulty-aware resampling, extra and longer samples for hard problems.
- `rationalize`: STaR rationalization, hinted solutions for the problems no sample solved.
- `bstar`: B-STaR's balance score, choosing each iteration's sampling temperature and reward
  threshold on a dev subset.
"""
