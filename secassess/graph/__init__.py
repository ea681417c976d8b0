"""Network graph analysis: build the zone/host graph of an inventory, find what it exposes."""
