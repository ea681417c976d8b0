"""The province's annual information-security report (`secassess report --annual`)."""
