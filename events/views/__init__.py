"""The events app's pages, one module per sub-domain (urls.py imports each view from its
module): listing (list, month calendar), detail, registration, calendar_feed (.ics files and the
personal feed), lifecycle (the leads' create, edit, publish, cancel, copy), co_hosting (the
answers to co-host), attendees (the leads' attendee tools), outcomes, and past (past events
and the outcomes libraries, routed by past_urls.py)."""
