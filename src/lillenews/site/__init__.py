"""lille.fr as data (markup.py) and the site-independent parsers that turn HTML into news
and event models, each field reporting the layer that answered."""
