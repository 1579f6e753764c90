"""SQLite: the page and article cache, the events cache, read marks, the full-text index
and its query builder, migrations."""
