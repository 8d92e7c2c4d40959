"""Browser tests of the public pages."""
