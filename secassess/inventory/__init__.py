"""The inventory: its typed model and its loader."""
