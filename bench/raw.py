"""The simplest correct queries over the raw tables, to compare the rollups with."""
