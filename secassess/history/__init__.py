"""Assessments over time: the diff of two results, the baseline gate, trends across earlier results."""
