"""The view model and one renderer per format: Rich, plain text, Markdown, JSON, Atom, iCalendar."""
