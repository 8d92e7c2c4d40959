"""Public web pages: search, provider detail, widget demo, analytics dashboard."""
