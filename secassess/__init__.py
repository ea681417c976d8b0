"""secassess: information-security posture assessment of a province's agencies."""

__version__ = "0.1.0"
