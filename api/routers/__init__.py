"""One Ninja router per concern, mounted in ``api.apis``."""
