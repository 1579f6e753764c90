"""One polite, bounded HTTP client: deadlines, bounded decompression, decoding."""
