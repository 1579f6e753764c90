"""lillenews: read the news of the City of Lille (www.lille.fr) in the terminal."""

__version__ = "1.0.0"
PROJECT_URL = "https://github.com/lillenews/lillenews"
USER_AGENT = f"lillenews/{__version__} (+{PROJECT_URL})"
