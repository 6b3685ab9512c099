"""The sample stage: draw k responses per problem from a backend, grade each with the verifier,
and keep the graded samples in a resumable run store.

- `record`: the graded sample, what the store keeps and the builders read.
- `store`: the run directory's SQLite store and its fingerprint (run.json).
- `plan`: which (problem, sample index) pairs to draw, in batches with their prompts and seeds.
- `draw`: `sample_problems`, the batched draw with a grading thread beside it.
- `grading`: that grading thread.
"""
