"""The ground floor: models of news and events, errors and exit codes, the interface
language, text (one fold), dates, URLs, settings, typography. Imports nothing else of lillenews."""
