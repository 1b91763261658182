"""Build helpers for the book (not part of the dlnotes package): notebook conversion and test plugins."""
