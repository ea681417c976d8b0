"""Network scanning: scope-guarded nmap runs, safe nmap XML import, and drift against the inventory."""
