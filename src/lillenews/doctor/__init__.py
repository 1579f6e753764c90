"""`lillenews doctor`: how well the real site is understood (check), saved pages (save), the report."""
