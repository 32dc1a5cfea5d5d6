"""The pages of knowledge sharing, one module per sub-domain (urls.py imports each)."""
