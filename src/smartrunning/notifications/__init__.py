"""Notifications: an in-app inbox, each user's choices of what they get and how, and
e-mail sent by the job queue (never inside a request), each with an unsubscribe link."""
