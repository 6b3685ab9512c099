"""Scale the parallel stages out on Ray (optional extra `reasonloop[ray]`).

- `executor`: the executor choice (`local` or `ray`) and its options; imports no Ray.
- `ray_sample`: the sample stage's batches drawn by Ray Data actors, graded by Ray tasks, and
  written by the driver (the single writer of the run store).
- `ray_grade`: grading on Ray: tasks for the rule verifier, actors holding the model judge.
- `ray_verify`: `reasonloop verify FILE --executor ray` (JSONL or Parquet in, Parquet out).
"""
