"""The program's pages, one module per sub-domain (urls.py imports each view from its module):
gaps (a community's register), calls, proposals (drafting and the workflow), attachments,
dashboard (the portfolio managers' and staff's lists) and projects (the funded register)."""
