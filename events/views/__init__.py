"""The events app's pages, one module per sub-domain (urls.py imports each view from its
module): listing (list, month calendar), detail, registration, calendar_feed (.ics files and the
personal feed), lifecycle (the leads' create, edit, publish, cancel, copy), co_hosting (the
answers to co-host), attendees (the leads' attendee tools) and outcomes. Past events and the
outcomes libraries are in past_views.py (their own URL file, past_urls.py)."""
