"""The profile stage: how hard each problem is for the model, read off its own graded samples.

- `difficulty`: pass rates, difficulty levels and the per-level summary.
- `metrics`: pass@k, maj@k, accuracy with a Wilson interval.
- `run_profile`: a run's profile (levels plus pass@k and maj@k), the one shape of profile.json.
"""
