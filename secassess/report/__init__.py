"""Reports: the assessment result rendered per agency (HTML, Markdown, PDF) and as a province summary."""
